using Marten;
using Wolverine;
using Wolverine.Marten;

namespace BaseAgency.Organizations;

/// <summary>Opening sessions for a known organization (the tenant id is the organization id).</summary>
public static class Tenancy
{
    public static string TenantOf(Guid organizationId) => organizationId.ToString();

    public static IDocumentSession SessionFor(this IDocumentStore store, Guid organizationId) =>
        store.LightweightSession(TenantOf(organizationId));

    public static IQuerySession QueryFor(this IDocumentStore store, Guid organizationId) =>
        store.QuerySession(TenantOf(organizationId));

    /// <summary>
    /// An outbox whose messages commit with <paramref name="session"/>, for code that opens its own sessions rather than
    /// taking Wolverine's (the job runner commits each step on its own). <paramref name="scope"/> owns the outbox.
    /// </summary>
    public static IMessageBus OutboxFor(this IServiceProvider scope, IDocumentSession session)
    {
        var outbox = scope.GetRequiredService<IMartenOutbox>();
        outbox.Enroll(session);
        return outbox;
    }
}
