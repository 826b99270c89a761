using Marten;

namespace BaseAgency.Plans;

public static class PlanLookup
{
    /// <summary>The organization's subscription and its plan, read through a session of that organization.</summary>
    public static async Task<(Subscription Subscription, Plan Plan)> CurrentPlanAsync(this IQuerySession session, Guid organizationId, CancellationToken ct) =>
        await session.FindCurrentPlanAsync(organizationId, ct)
        ?? throw new InvalidOperationException($"Organization {organizationId} has no subscription.");

    /// <summary>
    /// Like <see cref="CurrentPlanAsync"/>, or null when the organization does not exist (a payment provider's event may
    /// name one that was deleted, or never existed here).
    /// </summary>
    public static async Task<(Subscription Subscription, Plan Plan)?> FindCurrentPlanAsync(this IQuerySession session, Guid organizationId,
        CancellationToken ct)
    {
        if (await session.LoadAsync<Subscription>(organizationId, ct) is not { } subscription) return null;
        var plan = await session.LoadAsync<Plan>(Plan.IdOf(subscription.Plan), ct)
                   ?? throw new InvalidOperationException($"Plan '{subscription.Plan}' is not seeded.");
        return (subscription, plan);
    }
}
