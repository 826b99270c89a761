using BaseAgency.Ledger;
using BaseAgency.Plans;
using Marten;
using Wolverine;

namespace BaseAgency.Features.RenewSubscriptionPeriod;

/// <summary>
/// At the end of a period: the next period starts (on the pending plan, if a downgrade was asked for),
/// the old plan credits expire and the plan's credits are granted again. Exactly once: the ledger lock
/// serializes it, a message for a period that already ended changes nothing, and the period's grant is
/// keyed by its start.
/// </summary>
public static class RenewSubscriptionPeriodHandler
{
    public enum Renewal { AlreadyDone, TooEarly, Due }

    /// <summary>A message for another period end means the period renewed already, or the plan changed since.</summary>
    public static Renewal Decide(Subscription subscription, DateTimeOffset periodEnd, DateTimeOffset now) =>
        subscription.CurrentPeriodEnd != periodEnd ? Renewal.AlreadyDone
        : subscription.CurrentPeriodEnd > now ? Renewal.TooEarly
        : Renewal.Due;

    public static async Task Handle(Plans.RenewSubscriptionPeriod renew, IDocumentSession session, IMessageContext bus, CreditLedger ledger,
        TimeProvider clock, CancellationToken ct)
    {
        var (subscription, plan) = await session.CurrentPlanAsync(renew.OrganizationId, ct);
        switch (Decide(subscription, renew.PeriodEnd, clock.GetUtcNow()))
        {
            case Renewal.AlreadyDone:
                return;
            case Renewal.TooEarly:
                await bus.ScheduleRenewalAsync(subscription); // woke early: wait for the period's end
                return;
        }

        var next = subscription.Next();
        if (next.Plan != subscription.Plan) plan = await session.LoadAsync<Plan>(Plan.IdOf(next.Plan), ct) ?? plan;
        session.Store(next);
        await ledger.RenewAsync(session, renew.OrganizationId, next.CurrentPeriodStart, next.CurrentPeriodEnd, plan.Id, plan.CreditsMonthly, ct);
        await bus.ScheduleRenewalAsync(next);
    }
}
