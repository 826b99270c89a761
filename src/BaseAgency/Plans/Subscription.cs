using BaseAgency.Organizations;
using Wolverine;

namespace BaseAgency.Plans;

public enum SubscriptionStatus { Active, Trialing, PastDue, Canceled, Paused }

/// <summary>
/// The organization's plan and current billing period (one per organization, id = organization id).
/// <see cref="PendingPlan"/> is a downgrade that takes effect when the current period ends.
/// </summary>
public sealed record Subscription(
    Guid Id,
    PlanSlug Plan,
    SubscriptionStatus Status,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    PlanSlug? PendingPlan = null) : IOrganizationOwned
{
    public static Subscription StartFree(Guid organizationId, DateTimeOffset now) =>
        new(organizationId, PlanSlug.Free, SubscriptionStatus.Active, now, now.AddMonths(1));

    /// <summary>The period after this one, on the pending plan when a downgrade was asked for.</summary>
    public Subscription Next() => this with
    {
        Plan = PendingPlan ?? Plan,
        PendingPlan = null,
        CurrentPeriodStart = CurrentPeriodEnd,
        CurrentPeriodEnd = CurrentPeriodEnd.AddMonths(1),
    };
}

/// <summary>Scheduled for the end of each period; renews it exactly once.</summary>
public sealed record RenewSubscriptionPeriod(Guid OrganizationId, DateTimeOffset PeriodEnd);

public static class Renewals
{
    /// <summary>Schedules the subscription's renewal at the end of its period, in the sender's transaction.</summary>
    public static ValueTask ScheduleRenewalAsync(this IMessageBus bus, Subscription subscription) =>
        bus.ScheduleAsync(new RenewSubscriptionPeriod(subscription.Id, subscription.CurrentPeriodEnd), subscription.CurrentPeriodEnd,
            new DeliveryOptions { TenantId = Tenancy.TenantOf(subscription.Id) });
}
