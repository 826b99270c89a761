using System.Security.Claims;

namespace BaseAgency.Identity;

/// <summary>
/// Which endpoints a key may call. An endpoint needs the scope its policy implies (viewer → read, member →
/// generate, manager and admin → admin) unless it declares another with <see cref="RequiresScope"/> (billing
/// routes) or refuses keys with <see cref="SessionsOnly"/>. Signed-in sessions are never asked about scopes.
/// </summary>
public static class ApiKeyScopes
{
    /// <summary>Endpoint metadata: the scope a key needs here; null when only a signed-in session may call it.</summary>
    public sealed record Required(ApiKeyScope? Scope);

    public static RouteHandlerBuilder RequiresScope(this RouteHandlerBuilder endpoint, ApiKeyScope scope) => endpoint.WithMetadata(new Required(scope));

    public static RouteHandlerBuilder SessionsOnly(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new Required(null));

    /// <summary>The role a key acts with: the strongest its scopes give. Billing acts as admin, held to billing routes by its scope.</summary>
    public static Role RoleOf(IEnumerable<ApiKeyScope> scopes) => scopes.Select(s => s switch
    {
        ApiKeyScope.Admin or ApiKeyScope.Billing => Role.Admin,
        ApiKeyScope.Generate => Role.Member,
        _ => Role.Viewer,
    }).DefaultIfEmpty(Role.Viewer).Max();

    /// <summary>Admin includes generate, and every scope includes read; billing is only billing.</summary>
    public static bool Grants(IReadOnlyCollection<ApiKeyScope> held, ApiKeyScope needed) => needed switch
    {
        ApiKeyScope.Read => held.Count > 0,
        ApiKeyScope.Generate => held.Contains(ApiKeyScope.Generate) || held.Contains(ApiKeyScope.Admin),
        _ => held.Contains(needed),
    };

    public static ApiKeyScope? ImpliedBy(Role minimum) => minimum switch
    {
        Role.Viewer => ApiKeyScope.Read,
        Role.Member => ApiKeyScope.Generate,
        Role.Manager or Role.Admin => ApiKeyScope.Admin,
        _ => null,
    };

    /// <summary>The policies' second question: true for sessions; for a key, whether its scopes cover the endpoint.</summary>
    public static bool Allow(ClaimsPrincipal user, object? resource, Role minimum)
    {
        if (user.ApiKeyId() is null) return true;
        var declared = (resource as HttpContext)?.GetEndpoint()?.Metadata.GetMetadata<Required>();
        var needed = declared is null ? ImpliedBy(minimum) : declared.Scope;
        return needed is { } scope && Grants(user.ApiKeyScopes(), scope);
    }
}
