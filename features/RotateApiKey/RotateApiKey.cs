using BaseAgency.Identity;

namespace BaseAgency.Features.RotateApiKey;

/// <param name="Overlap">How long the current secret keeps working beside the new one (default 24 h, at most 7 days; 0 ends it now).</param>
public sealed record RotateApiKeyRequest(TimeSpan? Overlap = null);

public sealed record RotateApiKey(Guid KeyId, TimeSpan Overlap, Guid ActorId);

/// <param name="Secret">The new secret. Shown this once: only its hash is kept.</param>
public sealed record RotatedApiKey(ApiKeyView Key, string Secret);
