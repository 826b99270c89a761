using BaseAgency.Plans;

namespace BaseAgency.Features.GetSubscription;

public sealed record GetSubscription(Guid OrganizationId);

public sealed record QuotaView(PlanQuota Quota, int Limit, int Used, int? Remaining);

/// <summary>An upgrade waiting for payment.</summary>
public sealed record PendingChangeView(PlanSlug Plan, BillingInterval Interval, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);

/// <param name="PendingPlan">The plan the next period will be on (a downgrade, or Free when canceled at the period's end).</param>
/// <param name="GraceEndsAt">Past due: when the plan falls back to Free unless the open invoice is paid.</param>
public sealed record SubscriptionResponse(
    PlanSlug Plan, string PlanName, SubscriptionStatus Status, BillingInterval Interval, DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd, PlanSlug? PendingPlan, BillingInterval? PendingInterval, bool CancelAtPeriodEnd,
    DateTimeOffset? GraceEndsAt, PendingChangeView? PendingChange, int CreditsMonthly, IReadOnlyList<QuotaView> Quotas,
    IReadOnlyList<PlanFeature> Features);
