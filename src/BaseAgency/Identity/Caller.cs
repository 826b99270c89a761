using System.Security.Claims;
using BaseAgency.Organizations;

namespace BaseAgency.Identity;

/// <summary>The one way to read who is calling: claims put in the access token by <see cref="AccessTokens"/>.</summary>
public static class Caller
{
    public const string UserIdClaim = "sub";
    public const string OrganizationClaim = "org";
    public const string RoleClaim = "role";

    public static Guid? UserId(this ClaimsPrincipal user) => GuidOf(user, UserIdClaim);

    public static Guid? OrganizationId(this ClaimsPrincipal user) => GuidOf(user, OrganizationClaim);

    public static Role? Role(this ClaimsPrincipal user) =>
        Enum.TryParse<Role>(user.FindFirstValue(RoleClaim)?.Replace("_", ""), ignoreCase: true, out var role) ? role : null;

    /// <summary>For endpoints behind an authorization policy, where the claims are known to be there.</summary>
    public static SignedIn Required(this ClaimsPrincipal user) =>
        new(user.UserId() ?? throw Missing(UserIdClaim),
            user.OrganizationId() ?? throw Missing(OrganizationClaim),
            user.Role() ?? throw Missing(RoleClaim));

    public static string ClaimValue(Role role) => role switch
    {
        Identity.Role.SuperAdmin => "super_admin",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static Guid? GuidOf(ClaimsPrincipal user, string type) =>
        Guid.TryParse(user.FindFirstValue(type), out var id) ? id : null;

    private static InvalidOperationException Missing(string claim) => new($"The access token has no '{claim}' claim.");
}

/// <summary>A signed-in member: who, in which organization (the tenant their commands run in), and as what.</summary>
public sealed record SignedIn(Guid UserId, Guid OrganizationId, Role Role)
{
    public string Tenant => Tenancy.TenantOf(OrganizationId);
}
