using BaseAgency.Plans;

namespace BaseAgency.Features.GetSubscription;

public sealed record GetSubscription(Guid OrganizationId);

public sealed record QuotaView(PlanQuota Quota, int Limit, int Used, int? Remaining);

public sealed record SubscriptionResponse(
    PlanSlug Plan, string PlanName, SubscriptionStatus Status, DateTimeOffset CurrentPeriodStart, DateTimeOffset CurrentPeriodEnd,
    PlanSlug? PendingPlan, int CreditsMonthly, IReadOnlyList<QuotaView> Quotas, IReadOnlyList<PlanFeature> Features);
