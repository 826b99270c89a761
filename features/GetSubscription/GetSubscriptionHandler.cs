using BaseAgency.Http;
using BaseAgency.Plans;
using Marten;

namespace BaseAgency.Features.GetSubscription;

public static class GetSubscriptionHandler
{
    public static async Task<Outcome<SubscriptionResponse>> Handle(GetSubscription query, IQuerySession session, CancellationToken ct)
    {
        var e = await Entitlements.ForAsync(session, query.OrganizationId, ct);
        var s = e.Subscription;
        return new SubscriptionResponse(s.Plan, e.Plan.Name, s.Status, s.Interval, s.CurrentPeriodStart, s.CurrentPeriodEnd, s.PendingPlan,
            s.PendingInterval, s.CancelAtPeriodEnd, s.GraceEndsAt,
            s.PendingChange is { } p ? new PendingChangeView(p.Plan, p.Interval, p.RequestedAt, p.ExpiresAt) : null,
            e.Plan.CreditsMonthly,
            Enum.GetValues<PlanQuota>().Select(q => new QuotaView(q, e.LimitOf(q), e.Usage.Of(q), e.Remaining(q))).ToList(),
            Enum.GetValues<PlanFeature>().Where(e.Allows).ToList());
    }
}
