using BaseAgency.Organizations;
using Marten;
using Marten.Patching;
using Microsoft.Extensions.Options;

namespace BaseAgency.Providers.Keys;

/// <summary>An organization's own key for one provider (id = the provider's name), sealed; only its hint is ever shown.</summary>
public sealed record ProviderKey(
    string Id,
    Guid OrganizationId,
    SealedSecret Secret,
    string Hint,
    bool Valid,
    DateTimeOffset CreatedAt,
    Guid CreatedBy,
    DateTimeOffset? LastValidatedAt,
    DateTimeOffset? LastUsedAt = null,
    long Requests = 0) : IOrganizationOwned
{
    /// <summary>A provider's name as clients may write it ("OpenAI ") → the key's id ("openai").</summary>
    public static string IdFor(string provider) => provider.Trim().ToLowerInvariant();

    public static string AssociatedData(Guid organizationId, string provider) => $"provider-key:{organizationId:N}:{provider}";

    public static string HintOf(string apiKey) => "****" + (apiKey.Length >= 8 ? apiKey[^4..] : "");
}

public sealed record ProviderKeyView(string Provider, string Hint, bool Valid, DateTimeOffset CreatedAt, DateTimeOffset? LastValidatedAt,
    DateTimeOffset? LastUsedAt, long Requests)
{
    public static ProviderKeyView Of(ProviderKey key) => new(key.Id, key.Hint, key.Valid, key.CreatedAt, key.LastValidatedAt, key.LastUsedAt, key.Requests);
}

/// <summary>
/// Which key a job uses: the organization's own for that provider when it has a valid one, otherwise the
/// platform's from configuration. The decrypted key lives only in the caller's memory for the call.
/// </summary>
public sealed class ProviderCredentials(IDocumentStore store, KeyVault vault, IOptionsMonitor<ExternalProviderOptions> options, TimeProvider clock)
{
    public async Task<(string? ApiKey, bool Own)> ForAsync(Guid organizationId, string provider, CancellationToken ct)
    {
        if (!ProviderSetup.External.ContainsKey(provider)) return (null, false);
        await using var session = store.QueryFor(organizationId);
        if (await session.LoadAsync<ProviderKey>(provider, ct) is { Valid: true } own && vault.CanOpen(own.Secret))
            return (vault.Open(own.Secret, ProviderKey.AssociatedData(organizationId, provider)), true);
        var platform = options.Get(provider).ApiKey;
        return (string.IsNullOrWhiteSpace(platform) ? null : platform, false);
    }

    public bool PlatformHasKey(string provider) => !string.IsNullOrWhiteSpace(options.Get(provider).ApiKey);

    /// <summary>Counts a request made with the organization's key (a patch: concurrent jobs never lose a count).</summary>
    public async Task RecordUseAsync(Guid organizationId, string provider, CancellationToken ct)
    {
        await using var session = store.SessionFor(organizationId);
        session.Patch<ProviderKey>(provider).Increment(k => k.Requests);
        session.Patch<ProviderKey>(provider).Set(k => k.LastUsedAt, clock.GetUtcNow());
        await session.SaveChangesAsync(ct);
    }
}

/// <summary>Re-seals every stored provider key with the active encryption key.</summary>
public static class ProviderKeyRotation
{
    public static async Task<int> ReencryptAllAsync(IDocumentStore store, KeyVault vault, CancellationToken ct)
    {
        await using var platform = store.QuerySession();
        var stale = await platform.Query<ProviderKey>().Where(k => k.AnyTenant() && k.Secret.KeyId != vault.ActiveKeyId).ToListAsync(ct);
        var count = 0;
        foreach (var organization in stale.GroupBy(k => k.OrganizationId))
        {
            await using var session = store.SessionFor(organization.Key);
            foreach (var key in organization)
            {
                var data = ProviderKey.AssociatedData(organization.Key, key.Id);
                session.Store(key with { Secret = vault.Seal(vault.Open(key.Secret, data), data) });
                count++;
            }
            await session.SaveChangesAsync(ct);
        }
        return count;
    }
}
