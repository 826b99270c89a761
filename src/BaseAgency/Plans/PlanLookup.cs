using BaseAgency.Organizations;
using Marten;

namespace BaseAgency.Plans;

public static class PlanLookup
{
    /// <summary>The organization's subscription and its plan, read through a session of that organization.</summary>
    public static async Task<(Subscription Subscription, Plan Plan)> CurrentPlanAsync(this IQuerySession session, Guid organizationId, CancellationToken ct)
    {
        var subscription = await session.LoadAsync<Subscription>(organizationId, ct)
                           ?? throw new InvalidOperationException($"Organization {organizationId} has no subscription.");
        var plan = await session.LoadAsync<Plan>(Plan.IdOf(subscription.Plan), ct)
                   ?? throw new InvalidOperationException($"Plan '{subscription.Plan}' is not seeded.");
        return (subscription, plan);
    }
}
