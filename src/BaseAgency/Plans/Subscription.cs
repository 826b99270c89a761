using BaseAgency.Organizations;
using Wolverine;

namespace BaseAgency.Plans;

/// <summary>The seed's subscription states. Past due: a period's invoice is unpaid; the plan stays until the grace ends.</summary>
public enum SubscriptionStatus { Active, Trialing, PastDue, Canceled, Paused }

/// <summary>How often a paid plan is billed: the seed's <c>price_monthly</c> and <c>price_yearly</c>.</summary>
public enum BillingInterval { Month, Year }

/// <summary>
/// A change of plan waiting for something: an upgrade waiting for its invoice or checkout to be paid. At most
/// one per organization: it lives on the subscription, whose version the database checks on every write.
/// </summary>
/// <param name="Reference">What settles it: our invoice id ("invoice:{id}") or the provider's checkout/subscription reference.</param>
public sealed record PendingPlanChange(Guid Id, PlanSlug Plan, BillingInterval Interval, string Reference, DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt);

/// <summary>
/// The organization's plan and current billing period (one per organization, id = organization id).
/// <see cref="PendingPlan"/> is a downgrade that takes effect when the current period ends;
/// <see cref="PendingChange"/> an upgrade waiting for payment. Periods of a paid plan start only when paid:
/// by the payment provider's invoice (Stripe drives the dates) or, with manual billing, our own invoice.
/// </summary>
public sealed record Subscription(
    Guid Id,
    PlanSlug Plan,
    SubscriptionStatus Status,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    PlanSlug? PendingPlan = null,
    BillingInterval Interval = BillingInterval.Month,
    bool CancelAtPeriodEnd = false,
    DateTimeOffset? GraceEndsAt = null,
    PendingPlanChange? PendingChange = null,
    string? ProviderCustomerId = null,
    string? ProviderSubscriptionId = null,
    BillingInterval? PendingInterval = null) : IOrganizationOwned
{
    public static Subscription StartFree(Guid organizationId, DateTimeOffset now) =>
        new(organizationId, PlanSlug.Free, SubscriptionStatus.Active, now, now.AddMonths(1));

    /// <summary>True when the payment provider (Stripe Billing) drives this subscription's periods, not our schedule.</summary>
    public bool ProviderManaged => ProviderSubscriptionId is not null;

    public DateTimeOffset EndOf(DateTimeOffset start) => PeriodEnd(start, Interval);

    public static DateTimeOffset PeriodEnd(DateTimeOffset start, BillingInterval interval) =>
        interval == BillingInterval.Year ? start.AddYears(1) : start.AddMonths(1);

    /// <summary>The period after this one: on the pending plan and interval when a change was asked for, Free when canceled.</summary>
    public Subscription Next()
    {
        var plan = CancelAtPeriodEnd ? PlanSlug.Free : PendingPlan ?? Plan;
        var next = this with
        {
            Plan = plan,
            Interval = plan == PlanSlug.Free ? BillingInterval.Month : PendingInterval ?? Interval,
            PendingPlan = null,
            PendingInterval = null,
            CancelAtPeriodEnd = false,
            CurrentPeriodStart = CurrentPeriodEnd,
        };
        return next with { CurrentPeriodEnd = next.EndOf(CurrentPeriodEnd) };
    }

    /// <summary>Back on Free from <paramref name="now"/> (a grace period ran out, the provider ended the subscription).</summary>
    public Subscription FreeFrom(DateTimeOffset now) => StartFree(Id, now) with { ProviderCustomerId = ProviderCustomerId };
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
