using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Wolverine;

namespace BaseAgency.Subscriptions;

/// <summary>
/// At the end of a period: the next period starts (on the pending plan, if a downgrade was asked for),
/// the old plan credits expire and the plan's credits are granted again. Exactly once: the ledger lock serializes it, a message for a period that already
/// ended changes nothing, and the period's grant is keyed by its start.
/// </summary>
public static class RenewSubscriptionPeriodHandler
{
    public static async Task Handle(RenewSubscriptionPeriod renew, IDocumentSession session, IMessageContext bus, CreditLedger ledger,
        TimeProvider clock, CancellationToken ct)
    {
        var (subscription, plan) = await session.CurrentPlanAsync(renew.OrganizationId, ct);
        if (subscription.CurrentPeriodEnd != renew.PeriodEnd) return; // renewed already, or the plan changed since
        if (subscription.CurrentPeriodEnd > clock.GetUtcNow())
        {
            await bus.ScheduleRenewalAsync(subscription); // woke early: wait for the period's end
            return;
        }

        var next = subscription.Next();
        if (next.PendingPlan is { } downgrade)
        {
            next = next with { Plan = downgrade, PendingPlan = null };
            plan = await session.LoadAsync<Plan>(Plan.IdOf(downgrade), ct) ?? plan;
        }
        session.Store(next);
        await ledger.RenewAsync(session, renew.OrganizationId, next.CurrentPeriodStart, next.CurrentPeriodEnd, plan.Id, plan.CreditsMonthly, ct);
        await bus.ScheduleRenewalAsync(next);
    }
}
