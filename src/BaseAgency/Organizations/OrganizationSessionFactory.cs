using BaseAgency.Identity;
using Marten;

namespace BaseAgency.Organizations;

/// <summary>
/// The one way an HTTP request gets its Marten session: opened for the caller's organization, taken
/// from the access token. Anonymous requests get the platform (default tenant) session, which cannot
/// see any organization-owned document. Wolverine handlers get theirs from the message's tenant id.
/// </summary>
public sealed class OrganizationSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession() =>
        OrganizationOf() is { } org ? store.QuerySession(org) : store.QuerySession();

    public IDocumentSession OpenSession() =>
        OrganizationOf() is { } org ? store.LightweightSession(org) : store.LightweightSession();

    private string? OrganizationOf() => http.HttpContext?.User.OrganizationId() is { } org ? Tenancy.TenantOf(org) : null;
}
