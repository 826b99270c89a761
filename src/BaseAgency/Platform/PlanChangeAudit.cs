using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Marten.Services;

namespace BaseAgency.Platform;

/// <summary>
/// Every path that moves an organization to another plan or status (a paid invoice, a renewal onto a pending plan, a
/// grace period ending, Stripe's own events) leaves a change entry with the plan and status before and after, in the
/// change's own transaction. A listener rather than a line in each path, so a new path cannot forget it.
/// </summary>
public sealed class PlanChangeAudit(TimeProvider clock) : DocumentSessionListenerBase
{
    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var changed = session.PendingChanges.AllChangedFor<Subscription>().ToList();
        if (changed.Count == 0) return;
        // What is committed now (a separate read: this session's own identity map would answer with the change itself).
        await using var committed = session.DocumentStore.QuerySession(session.TenantId);
        foreach (var after in changed)
        {
            var before = await committed.LoadAsync<Subscription>(after.Id, token);
            if (before is not null && before.Plan == after.Plan && before.Status == after.Status) continue;
            session.Insert(AuditEntry.Changed(null, after.Id, "subscription.changed", "subscription", after.Id.ToString(), clock.GetUtcNow(),
                ("plan", before is null ? null : Json.NameOf(before.Plan), Json.NameOf(after.Plan)),
                ("status", before is null ? null : Json.NameOf(before.Status), Json.NameOf(after.Status))));
        }
    }
}
