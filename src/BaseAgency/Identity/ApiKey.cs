using System.Security.Cryptography;
using System.Text;
using BaseAgency.Caching;
using BaseAgency.Organizations;
using BaseAgency.Providers;
using Marten;
using Marten.Schema;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Identity;

/// <summary>What an API key may do; each scope acts with a role (see <see cref="ApiKeyScopes"/>).</summary>
public enum ApiKeyScope { Read, Generate, Billing, Admin }

/// <summary>A key's own limits, on top of the plan's. Null means no limit of its own.</summary>
/// <param name="RequestsPerMinute">The key's own request limit, under the organization's (the tighter one answers).</param>
public sealed record ApiKeyLimits(int? MonthlyCredits = null, int? MaxParallelJobs = null, int? RequestsPerMinute = null);

/// <summary>
/// An organization's API key. The secret is never stored: only its HMAC-SHA256 under the server's pepper, and its
/// public prefix for lookup and display. A rotation keeps the previous secret valid until its overlap ends.
/// </summary>
/// <param name="CreatedBy">The admin who made it: jobs the key submits are attributed to them.</param>
/// <param name="AllowedModels">"provider/model" or "model" entries; null allows every model.</param>
public sealed record ApiKey(
    Guid Id,
    Guid OrganizationId,
    string Name,
    IReadOnlyList<ApiKeyScope> Scopes,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    string Prefix,
    string Hash,
    DateTimeOffset? ExpiresAt = null,
    IReadOnlyList<GenerationType>? AllowedTypes = null,
    IReadOnlyList<string>? AllowedModels = null,
    ApiKeyLimits? Limits = null,
    string? PreviousPrefix = null,
    string? PreviousHash = null,
    DateTimeOffset? PreviousValidUntil = null,
    DateTimeOffset? RevokedAt = null,
    DateTimeOffset? LastUsedAt = null) : IOrganizationOwned
{
    /// <summary>Marten's optimistic concurrency version: two rotations of one key cannot both commit.</summary>
    [Version]
    public Guid Version { get; set; }

    public const string SecretPrefix = "ba_live_";

    /// <summary>"ba_live_" and 8 base64url characters (48 random bits): unique by index, shown to tell keys apart.</summary>
    public const int PrefixLength = 16;

    public static string CacheKey(string prefix) => $"api-key:{prefix}";

    /// <summary>The prefix and 32 random bytes in base64url, as a refresh token's secret.</summary>
    public static string NewSecret() => SecretPrefix + RefreshToken.NewSecret();

    public static string PrefixOf(string secret) => secret[..PrefixLength];

    /// <summary>A secret of the right shape: anything else is refused before the cache or the database are asked.</summary>
    public static bool LooksLikeSecret(string? value) => value is { Length: 51 } && value.StartsWith(SecretPrefix, StringComparison.Ordinal);

    public static string HashOf(string secret, byte[] pepper) => Convert.ToHexStringLower(HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(secret)));

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && !(ExpiresAt <= now);

    /// <summary>Moves the current secret into the overlap and takes <paramref name="secret"/> as the new one.</summary>
    public ApiKey Rotated(string secret, byte[] pepper, DateTimeOffset overlapEnds) => this with
    {
        Prefix = PrefixOf(secret), Hash = HashOf(secret, pepper),
        PreviousPrefix = Prefix, PreviousHash = Hash, PreviousValidUntil = overlapEnds,
    };

    /// <summary>Every node forgets its cached lookups of the key's secrets once <paramref name="session"/> commits.</summary>
    /// <summary>Revokes every working key <paramref name="makerId"/> made (see <see cref="MemberRules.KeysSurvive"/>); returns them.</summary>
    public static async Task<IReadOnlyList<ApiKey>> RevokeMadeByAsync(IDocumentSession session, IFusionCache cache, Guid makerId, DateTimeOffset now,
        CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().Where(k => k.CreatedBy == makerId && k.RevokedAt == null).ToListAsync(ct);
        foreach (var key in keys)
        {
            session.Store(key with { RevokedAt = now });
            key.ForgetOnCommit(session, cache);
        }
        return keys;
    }

    public void ForgetOnCommit(IDocumentSession session, IFusionCache cache)
    {
        CacheInvalidation.ForgetOnCommit(session, cache, CacheKey(Prefix));
        if (PreviousPrefix is not null) CacheInvalidation.ForgetOnCommit(session, cache, CacheKey(PreviousPrefix));
    }
}

/// <summary>How a key is listed: never the secret or its hash.</summary>
public sealed record ApiKeyView(Guid Id, string Name, string Prefix, IReadOnlyList<ApiKeyScope> Scopes, DateTimeOffset CreatedAt, Guid CreatedBy,
    DateTimeOffset? ExpiresAt, IReadOnlyList<GenerationType>? AllowedTypes, IReadOnlyList<string>? AllowedModels, ApiKeyLimits? Limits,
    string? PreviousPrefix, DateTimeOffset? PreviousValidUntil, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public static ApiKeyView Of(ApiKey key) => new(key.Id, key.Name, key.Prefix, key.Scopes, key.CreatedAt, key.CreatedBy, key.ExpiresAt,
        key.AllowedTypes, key.AllowedModels, key.Limits, key.PreviousPrefix, key.PreviousValidUntil, key.RevokedAt, key.LastUsedAt);
}

/// <summary>What <c>api_key.created</c> and <c>api_key.revoked</c> tell webhooks and live streams: which key, never more of it.</summary>
public sealed record ApiKeyEventView(Guid Id, string Name, string Prefix, IReadOnlyList<ApiKeyScope> Scopes)
{
    public static ApiKeyEventView Of(ApiKey key) => new(key.Id, key.Name, key.Prefix, key.Scopes);
}

/// <summary>Configuration section "ApiKeys". The pepper is a service secret (see <see cref="Secrets.ServiceSecrets"/>).</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    /// <summary>Base64, at least 32 bytes. Env: ApiKeys__Pepper. Changing it invalidates every key.</summary>
    public string Pepper { get; set; } = "";

    /// <summary>
    /// How long a node keeps its lookup of a key. A revocation or rotation is forgotten on every node at once (see
    /// <see cref="CacheInvalidation"/>); this bounds only what a node's listener missed while disconnected.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often last use is written: once per key per interval, never per request.</summary>
    public TimeSpan LastUseFlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(7);

    public byte[] PepperBytes() => Convert.FromBase64String(Pepper);
}
