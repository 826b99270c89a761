using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Identity;

/// <summary>
/// The second authentication scheme: <c>Authorization: Bearer ba_…</c> or <c>X-API-Key: ba_…</c>. The key is found
/// by its prefix (cached briefly, so a burst of requests costs one query), then its HMAC is compared in constant time.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logs, UrlEncoder encoder,
    IFusionCache cache, IDocumentStore store, IOptions<ApiKeyOptions> options, ApiKeyUsage usage, CurrentPlans plans, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logs, encoder)
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-API-Key";

    /// <summary>The default scheme: a key goes to this handler, anything else to the JWT bearer handler.</summary>
    public const string BearerOrKey = "BearerOrApiKey";

    private readonly byte[] _pepper = options.Value.PepperBytes();

    /// <summary>The key a request presents, if it presents one (a JWT never starts with "ba_").</summary>
    public static string? SecretOf(HttpRequest request)
    {
        if (request.Headers[Header].ToString() is { Length: > 0 } header) return header.Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ba_", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SecretOf(Request) is not { } secret) return AuthenticateResult.NoResult();
        if (!ApiKey.LooksLikeSecret(secret)) return AuthenticateResult.Fail("Not an API key.");

        var prefix = ApiKey.PrefixOf(secret);
        var key = await cache.GetOrSetAsync<ApiKey?>(ApiKey.CacheKey(prefix), async ct =>
        {
            await using var session = store.QuerySession();
            return await session.Query<ApiKey>().Where(k => k.AnyTenant() && (k.Prefix == prefix || k.PreviousPrefix == prefix))
                .FirstOrDefaultAsync(ct);
        }, o => o.SetDuration(options.Value.CacheDuration), Context.RequestAborted);

        var now = clock.GetUtcNow();
        if (key is null || !key.IsUsable(now) || !Matches(key, secret, prefix, now)) return AuthenticateResult.Fail("Unknown, revoked or expired API key.");
        // A key outlives the plan it was made on: after a downgrade to a plan without api_access it stops working.
        if (await plans.ForAsync(key.OrganizationId, Context.RequestAborted) is not { Features.ApiAccess: true })
            return AuthenticateResult.Fail("The organization's plan does not include API access.");

        usage.Touch(key.OrganizationId, key.Id, now);
        Context.Items[Scheme] = key;
        var identity = new ClaimsIdentity(
        [
            new Claim(Caller.UserIdClaim, key.CreatedBy.ToString()),
            new Claim(Caller.OrganizationClaim, key.OrganizationId.ToString()),
            new Claim(Caller.RoleClaim, Caller.ClaimValue(ApiKeyScopes.RoleOf(key.Scopes))),
            new Claim(Caller.ApiKeyClaim, key.Id.ToString()),
            .. key.Scopes.Select(s => new Claim(Caller.ScopeClaim, s.ToString().ToLowerInvariant())),
            .. key.Limits?.RequestsPerMinute is { } perMinute ? [new Claim(Caller.ApiKeyRequestsPerMinuteClaim, perMinute.ToString())] : Array.Empty<Claim>(),
        ], Scheme, Caller.UserIdClaim, Caller.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme));
    }

    private bool Matches(ApiKey key, string secret, string prefix, DateTimeOffset now)
    {
        var stored = prefix == key.Prefix ? key.Hash : key.PreviousValidUntil > now ? key.PreviousHash : null;
        return stored is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(ApiKey.HashOf(secret, _pepper)), Encoding.ASCII.GetBytes(stored));
    }
}
