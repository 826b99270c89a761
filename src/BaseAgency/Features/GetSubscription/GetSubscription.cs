using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using FastEndpoints;
using Marten;

namespace BaseAgency.Features.GetSubscription;

public sealed record QuotaView(PlanQuota Quota, int Limit, int Used, int? Remaining);

public sealed record SubscriptionResponse(
    PlanSlug Plan, string PlanName, SubscriptionStatus Status, DateTimeOffset CurrentPeriodStart, DateTimeOffset CurrentPeriodEnd,
    PlanSlug? PendingPlan, int CreditsMonthly, IReadOnlyList<QuotaView> Quotas, IReadOnlyList<PlanFeature> Features);

/// <summary>GET /api/subscription: the plan, its period, a pending downgrade, and what is left of this period's quotas.</summary>
public sealed class GetSubscriptionEndpoint(IQuerySession session) : EndpointWithoutRequest<SubscriptionResponse>
{
    public override void Configure()
    {
        Get("/subscription");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetSubscription").WithSummary("The organization's subscription and quotas").WithTags("Subscription"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var e = await Entitlements.ForAsync(session, User.Required().OrganizationId, ct);
        var s = e.Subscription;
        await Send.OkAsync(new SubscriptionResponse(s.Plan, e.Plan.Name, s.Status, s.CurrentPeriodStart, s.CurrentPeriodEnd, s.PendingPlan,
            e.Plan.CreditsMonthly,
            Enum.GetValues<PlanQuota>().Select(q => new QuotaView(q, e.LimitOf(q), e.Usage.Of(q), e.Remaining(q))).ToList(),
            Enum.GetValues<PlanFeature>().Where(e.Allows).ToList()), ct);
    }
}
