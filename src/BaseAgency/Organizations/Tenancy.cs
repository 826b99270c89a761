using Marten;

namespace BaseAgency.Organizations;

/// <summary>Opening sessions for a known organization (the tenant id is the organization id).</summary>
public static class Tenancy
{
    public static string TenantOf(Guid organizationId) => organizationId.ToString();

    public static IDocumentSession SessionFor(this IDocumentStore store, Guid organizationId) =>
        store.LightweightSession(TenantOf(organizationId));

    public static IQuerySession QueryFor(this IDocumentStore store, Guid organizationId) =>
        store.QuerySession(TenantOf(organizationId));
}
