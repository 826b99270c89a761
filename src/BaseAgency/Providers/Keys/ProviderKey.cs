using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BaseAgency.Organizations;
using Marten;
using Marten.Patching;
using Microsoft.Extensions.Options;

namespace BaseAgency.Providers.Keys;

/// <summary>
/// An organization's own key for one provider (id = the provider's name), sealed; only its hint is ever shown.
/// A key the provider later rejects (401/403) is marked not valid, with the provider's reason and when.
/// </summary>
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
    long Requests = 0,
    string? InvalidReason = null,
    DateTimeOffset? InvalidatedAt = null) : IOrganizationOwned
{
    /// <summary>A provider's name as clients may write it ("OpenAI ") → the key's id ("openai").</summary>
    public static string IdFor(string provider) => provider.Trim().ToLowerInvariant();

    public static string AssociatedData(Guid organizationId, string provider) => $"provider-key:{organizationId:N}:{provider}";

    public static string HintOf(string apiKey) => "****" + (apiKey.Length >= 8 ? apiKey[^4..] : "");
}

public sealed record ProviderKeyView(string Provider, string Hint, bool Valid, DateTimeOffset CreatedAt, DateTimeOffset? LastValidatedAt,
    DateTimeOffset? LastUsedAt, long Requests, string? InvalidReason, DateTimeOffset? InvalidatedAt)
{
    public static ProviderKeyView Of(ProviderKey key) =>
        new(key.Id, key.Hint, key.Valid, key.CreatedAt, key.LastValidatedAt, key.LastUsedAt, key.Requests, key.InvalidReason, key.InvalidatedAt);
}

/// <summary>
/// The key one job calls a provider with: the organization's own (<see cref="Own"/>, as stored) or the platform's.
/// <see cref="Id"/> names it for circuit breakers, health, logs and metrics; the key itself is never printed.
/// </summary>
public sealed record ProviderCredential(string? ApiKey, string Id, SealedSecret? Own)
{
    public const string PlatformId = "platform";

    /// <summary>
    /// No key, or one no job uses (a key being checked before it is stored): these share one pipeline, without a
    /// breaker. Each such key is called once while an admin waits; a pipeline per key tried would let anyone grow
    /// the server's memory by trying keys (about 8 KB each, measured).
    /// </summary>
    public const string UncheckedId = "unchecked";

    /// <summary>A short, non-reversible name of a key: the first 16 hex digits of its SHA-256.</summary>
    public static string IdOf(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..16];

    public override string ToString() => $"ProviderCredential({Id})";
}

/// <summary>
/// Which key a job uses: the organization's own for that provider when it has a valid one, otherwise the
/// platform's from configuration. The decrypted key lives only in the caller's memory for the call.
/// </summary>
public sealed class ProviderCredentials(IDocumentStore store, KeyVault vault, IOptionsMonitor<ExternalProviderOptions> options, TimeProvider clock)
{
    /// <summary>The ids of organizations' keys this node has handed to jobs: only these get a breaker of their own.</summary>
    private readonly ConcurrentDictionary<string, byte> _inUse = new();

    public async Task<ProviderCredential> ForAsync(Guid organizationId, string provider, CancellationToken ct)
    {
        if (!ProviderSetup.External.ContainsKey(provider)) return new(null, ProviderCredential.UncheckedId, null);
        await using var session = store.QueryFor(organizationId);
        if (await session.LoadAsync<ProviderKey>(provider, ct) is { Valid: true } own && vault.CanOpen(own.Secret))
        {
            var apiKey = vault.Open(own.Secret, ProviderKey.AssociatedData(organizationId, provider));
            var id = apiKey == options.Get(provider).ApiKey ? ProviderCredential.PlatformId : ProviderCredential.IdOf(apiKey);
            _inUse.TryAdd(id, 0);
            return new(apiKey, id, own.Secret);
        }
        var platform = options.Get(provider).ApiKey;
        return string.IsNullOrWhiteSpace(platform)
            ? new(null, ProviderCredential.UncheckedId, null)
            : new(platform, ProviderCredential.PlatformId, null);
    }

    /// <summary>The name a request's key goes by at a provider: "platform", an own key's hash while jobs use it, or "unchecked".</summary>
    public string IdOf(string provider, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey)) return ProviderCredential.UncheckedId;
        if (apiKey == options.Get(provider).ApiKey) return ProviderCredential.PlatformId;
        var id = ProviderCredential.IdOf(apiKey);
        return _inUse.ContainsKey(id) ? id : ProviderCredential.UncheckedId;
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

    /// <summary>
    /// The provider rejected the organization's own key (401/403): it is marked not valid, so later jobs fall back to
    /// the platform's key or are refused at submission. One conditional patch: only the key that was used (a key
    /// stored since is another secret) and only the first rejection, which keeps its reason and time.
    /// </summary>
    public async Task RejectedAsync(Guid organizationId, string provider, SealedSecret used, string reason, CancellationToken ct)
    {
        await using var session = store.SessionFor(organizationId);
        session.Patch<ProviderKey>(k => k.Id == provider && k.Valid && k.Secret.Ciphertext == used.Ciphertext)
            .Set(k => k.Valid, false)
            .Set(k => k.InvalidReason, reason)
            .Set(k => k.InvalidatedAt, clock.GetUtcNow());
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
