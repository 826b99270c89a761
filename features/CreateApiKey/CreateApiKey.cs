using BaseAgency.Identity;
using BaseAgency.Providers;

namespace BaseAgency.Features.CreateApiKey;

/// <param name="ExpiresAt">When the key stops working; never when omitted.</param>
/// <param name="AllowedTypes">The generation types the key may submit; all when omitted.</param>
/// <param name="AllowedModels">"provider/model" or "model": the models the key may use; all when omitted.</param>
public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<ApiKeyScope> Scopes, DateTimeOffset? ExpiresAt = null,
    IReadOnlyList<GenerationType>? AllowedTypes = null, IReadOnlyList<string>? AllowedModels = null, ApiKeyLimits? Limits = null);

public sealed record CreateApiKey(Guid OrganizationId, Guid UserId, CreateApiKeyRequest Request);

/// <param name="Secret">The key itself. Shown this once: only its hash is kept.</param>
public sealed record CreatedApiKey(ApiKeyView Key, string Secret);
