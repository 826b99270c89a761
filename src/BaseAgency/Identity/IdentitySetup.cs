using System.Security.Claims;
using BaseAgency.Caching;
using BaseAgency.Organizations;
using Marten;
using Marten.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Identity;

public static class IdentitySetup
{
    public static void AddIdentity(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AuthOptions>().Bind(config.GetSection(AuthOptions.Section))
            .Validate(o => !o.RequireVerifiedEmail, "Auth:RequireVerifiedEmail needs e-mail verification, which this version does not have; leave it off.")
            .ValidateOnStart();
        services.AddSingleton<Tokens>();

        services.AddOptions<ApiKeyOptions>().Bind(config.GetSection(ApiKeyOptions.Section));
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<IKeyUseBatch>(sp => sp.GetRequiredService<ApiKeyUsage>());
        services.AddHostedService<ApiKeyUsageFlusher>();

        services.AddAuthentication(ApiKeyAuthentication.BearerOrKey)
            .AddPolicyScheme(ApiKeyAuthentication.BearerOrKey, null, o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthentication.SecretOf(http.Request) is null ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthentication.Scheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.Scheme, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<Tokens, IOptions<AuthOptions>, TimeProvider>((jwt, tokens, auth, clock) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = tokens.SigningKey,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    // Expiry is judged by the same clock that issued the token (the app's TimeProvider).
                    LifetimeValidator = (notBefore, expires, _, p) => WithinLifetime(notBefore, expires, p.ClockSkew, clock.GetUtcNow().UtcDateTime),
                    NameClaimType = Caller.UserIdClaim,
                    RoleClaimType = Caller.RoleClaim,
                };
                jwt.Events = new JwtBearerEvents { OnTokenValidated = CheckMembershipIsCurrent };
            });

        var authorization = services.AddAuthorizationBuilder();
        foreach (var (policy, minimum) in Policies.Minimum)
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser()
                .RequireAssertion(ctx => ctx.User.Role() is { } role && role >= minimum && ApiKeyScopes.Allow(ctx.User, ctx.Resource, minimum)));
    }

    private static bool WithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, DateTime now) =>
        expires is { } end && end > now - skew && (notBefore is not { } start || start <= now + skew);

    /// <summary>
    /// Access tokens live 15 minutes, but a removed member or a changed role must take effect at once: each request
    /// checks the member's current state, cached for a minute and forgotten on every node when it changes.
    /// </summary>
    private static async Task CheckMembershipIsCurrent(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (principal.UserId() is not { } userId || principal.OrganizationId() is not { } orgId)
        {
            context.Fail("The access token is missing its subject or organization.");
            return;
        }

        var cache = context.HttpContext.RequestServices.GetRequiredService<IFusionCache>();
        var store = context.HttpContext.RequestServices.GetRequiredService<IDocumentStore>();
        var membership = await cache.GetOrSetAsync<Membership?>(Membership.CacheKey(orgId, userId), async ct =>
        {
            await using var session = store.QueryFor(orgId);
            var user = await session.LoadAsync<User>(userId, ct);
            return user is { IsActive: true } ? new Membership(user.Role) : null;
        }, token: context.HttpContext.RequestAborted);

        if (membership is null)
        {
            context.Fail("The member no longer exists or was removed.");
            return;
        }

        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var stale in identity.FindAll(Caller.RoleClaim).ToList()) identity.RemoveClaim(stale);
        identity.AddClaim(new Claim(Caller.RoleClaim, Caller.ClaimValue(membership.Role)));
    }
}

/// <summary>A member's current standing, as the per-request check caches it.</summary>
public sealed record Membership(Role Role)
{
    /// <summary>Keyed by organization too: a token is only good for the organization it names.</summary>
    public static string CacheKey(Guid organizationId, Guid userId) => $"membership:{organizationId:N}:{userId:N}";

    /// <summary>Forgets the member's standing on every node once <paramref name="session"/> commits, before the request is answered.</summary>
    public static void ForgetOnCommit(IDocumentSession session, IFusionCache cache, Guid organizationId, Guid userId) =>
        CacheInvalidation.ForgetOnCommit(session, cache, CacheKey(organizationId, userId));
}
