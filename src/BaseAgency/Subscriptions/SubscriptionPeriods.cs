using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Wolverine;

namespace BaseAgency.Subscriptions;

/// <summary>Scheduled for the end of each period; renews it exactly once.</summary>
public sealed record RenewSubscriptionPeriod(Guid OrganizationId, DateTimeOffset PeriodEnd);

/// <summary>
/// A new organization gets its plan's credits for the first period, and its renewal is scheduled.
/// Runs on Wolverine's durable queue, in the organization's session (the message carries its tenant).
/// </summary>
public static class OrganizationCreatedHandler
{
    public static async Task Handle(OrganizationCreated created, IDocumentSession session, IMessageContext bus, CreditLedger ledger, CancellationToken ct)
    {
        var (subscription, plan) = await session.CurrentPlanAsync(created.OrganizationId, ct);
        await ledger.RenewAsync(session, created.OrganizationId, subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd,
            plan.Id, plan.CreditsMonthly, ct);
        await SubscriptionPeriods.ScheduleRenewal(bus, subscription);
    }
}

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
            await SubscriptionPeriods.ScheduleRenewal(bus, subscription); // woke early: wait for the period's end
            return;
        }

        var next = SubscriptionPeriods.Next(subscription);
        if (next.PendingPlan is { } downgrade)
        {
            next = next with { Plan = downgrade, PendingPlan = null };
            plan = await session.LoadAsync<Plan>(Plan.IdOf(downgrade), ct) ?? plan;
        }
        session.Store(next);
        await ledger.RenewAsync(session, renew.OrganizationId, next.CurrentPeriodStart, next.CurrentPeriodEnd, plan.Id, plan.CreditsMonthly, ct);
        await SubscriptionPeriods.ScheduleRenewal(bus, next);
    }
}

public static class SubscriptionPeriods
{
    public static Subscription Next(Subscription current) => current with
    {
        CurrentPeriodStart = current.CurrentPeriodEnd,
        CurrentPeriodEnd = current.CurrentPeriodEnd.AddMonths(1),
    };

    public static ValueTask ScheduleRenewal(IMessageBus bus, Subscription subscription) =>
        bus.ScheduleAsync(new RenewSubscriptionPeriod(subscription.Id, subscription.CurrentPeriodEnd), subscription.CurrentPeriodEnd,
            new DeliveryOptions { TenantId = Tenancy.TenantOf(subscription.Id) });
}
