using BaseAgency.Organizations;
using Marten;

namespace BaseAgency.Plans;

/// <summary>Things a plan may switch on.</summary>
public enum PlanFeature { ImageGeneration, VideoGeneration, AudioGeneration, Workflow, Analytics, ApiAccess, Webhooks, Sso }

/// <summary>Monthly quotas a plan counts.</summary>
public enum PlanQuota { Images, Videos, AudioMinutes }

/// <summary>How much of each quota an organization used in one period (id = "{organizationId}:{periodStart}").</summary>
public sealed record PeriodUsage(string Id, int Images, int Videos, int AudioMinutes) : IOrganizationOwned
{
    public static string IdFor(Guid organizationId, DateTimeOffset periodStart) => $"{organizationId:N}:{periodStart.UtcTicks}";

    public int Of(PlanQuota quota) => quota switch
    {
        PlanQuota.Images => Images,
        PlanQuota.Videos => Videos,
        _ => AudioMinutes,
    };
}

/// <summary>
/// The one small API other features ask about plan limits: "may this organization generate video?",
/// "how many images are left this month?".
/// </summary>
public sealed record Entitlements(Plan Plan, Subscription Subscription, PeriodUsage Usage)
{
    public bool Allows(PlanFeature feature) => feature switch
    {
        PlanFeature.ImageGeneration => Plan.Features.ImageGeneration,
        PlanFeature.VideoGeneration => Plan.Features.VideoGeneration,
        PlanFeature.AudioGeneration => Plan.Features.AudioGeneration,
        PlanFeature.Workflow => Plan.Features.Workflow,
        PlanFeature.Analytics => Plan.Features.Analytics,
        PlanFeature.ApiAccess => Plan.Features.ApiAccess,
        PlanFeature.Webhooks => Plan.Features.Webhooks,
        _ => Plan.Features.Sso,
    };

    /// <summary>The quota for the whole period: a yearly period holds twelve months of it from its start.</summary>
    public int LimitOf(PlanQuota quota)
    {
        var monthly = quota switch
        {
            PlanQuota.Images => Plan.Limits.ImagesPerMonth,
            PlanQuota.Videos => Plan.Limits.VideosPerMonth,
            _ => Plan.Limits.AudioMinutesPerMonth,
        };
        return monthly == PlanLimits.Unlimited || Subscription.Interval == BillingInterval.Month ? monthly : monthly * 12;
    }

    /// <summary>What is left this period; null when the plan sets no limit.</summary>
    public int? Remaining(PlanQuota quota) =>
        LimitOf(quota) == PlanLimits.Unlimited ? null : Math.Max(0, LimitOf(quota) - Usage.Of(quota));

    public bool Allows(PlanQuota quota, int more = 1) => PlanLimits.Allows(LimitOf(quota), Usage.Of(quota), more);

    public static async Task<Entitlements> ForAsync(IQuerySession session, Guid organizationId, CancellationToken ct)
    {
        var (subscription, plan) = await session.CurrentPlanAsync(organizationId, ct);
        return new Entitlements(plan, subscription, await UsageAsync(session, subscription, ct));
    }

    /// <summary>The usage of the subscription's current period (none counted yet when it has no document).</summary>
    public static async Task<PeriodUsage> UsageAsync(IQuerySession session, Subscription subscription, CancellationToken ct)
    {
        var id = PeriodUsage.IdFor(subscription.Id, subscription.CurrentPeriodStart);
        return await session.LoadAsync<PeriodUsage>(id, ct) ?? new PeriodUsage(id, 0, 0, 0);
    }
}
