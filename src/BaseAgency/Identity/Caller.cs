using System.Security.Claims;
using BaseAgency.Organizations;

namespace BaseAgency.Identity;

/// <summary>The one way to read who is calling: claims put in the access token by <see cref="AccessTokens"/>.</summary>
public static class Caller
{
    public const string UserIdClaim = "sub";
    public const string OrganizationClaim = "org";
    public const string RoleClaim = "role";
    public const string ApiKeyClaim = "api_key_id";
    /// <summary>An API key's own request limit per minute, when it sets one (read by the rate limits).</summary>
    public const string ApiKeyRequestsPerMinuteClaim = "api_key_rpm";
    public const string ScopeClaim = "scope";

    public static Guid? UserId(this ClaimsPrincipal user) => GuidOf(user, UserIdClaim);

    public static Guid? OrganizationId(this ClaimsPrincipal user) => GuidOf(user, OrganizationClaim);

    public static Role? Role(this ClaimsPrincipal user) =>
        Enum.TryParse<Role>(user.FindFirstValue(RoleClaim)?.Replace("_", ""), ignoreCase: true, out var role) ? role : null;

    /// <summary>The key a request authenticated with; null for a signed-in session.</summary>
    public static Guid? ApiKeyId(this ClaimsPrincipal user) => GuidOf(user, ApiKeyClaim);

    public static IReadOnlyCollection<ApiKeyScope> ApiKeyScopes(this ClaimsPrincipal user) =>
        user.FindAll(ScopeClaim).Select(c => Enum.Parse<ApiKeyScope>(c.Value, ignoreCase: true)).ToHashSet();

    /// <summary>For endpoints behind an authorization policy, where the claims are known to be there.</summary>
    public static SignedIn Required(this ClaimsPrincipal user) =>
        new(user.UserId() ?? throw Missing(UserIdClaim),
            user.OrganizationId() ?? throw Missing(OrganizationClaim),
            user.Role() ?? throw Missing(RoleClaim),
            user.ApiKeyId());

    public static string ClaimValue(Role role) => role switch
    {
        Identity.Role.SuperAdmin => "super_admin",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static Guid? GuidOf(ClaimsPrincipal user, string type) =>
        Guid.TryParse(user.FindFirstValue(type), out var id) ? id : null;

    private static InvalidOperationException Missing(string claim) => new($"The access token has no '{claim}' claim.");
}

/// <summary>
/// A signed-in member: who, in which organization (the tenant their commands run in), and as what. A request made
/// with an API key acts as the admin who created the key, with the role its scopes give, and names the key.
/// </summary>
public sealed record SignedIn(Guid UserId, Guid OrganizationId, Role Role, Guid? ApiKeyId = null)
{
    public string Tenant => Tenancy.TenantOf(OrganizationId);
}
