using BaseAgency.Organizations;
using Marten;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Plans;

/// <summary>
/// An organization's current plan for checks made on every request (rate limits, running-job caps, API access), cached
/// briefly: a plan change reaches them within <see cref="CacheDuration"/>.
/// </summary>
public sealed class CurrentPlans(IFusionCache cache, IDocumentStore store)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);

    public static string CacheKey(Guid organizationId) => $"plan:{organizationId:N}";

    /// <summary>Null when the organization does not exist.</summary>
    public async Task<Plan?> ForAsync(Guid organizationId, CancellationToken ct) =>
        await cache.GetOrSetAsync<Plan?>(CacheKey(organizationId), async token =>
        {
            await using var session = store.QueryFor(organizationId);
            return (await session.FindCurrentPlanAsync(organizationId, token))?.Plan;
        }, o => o.Duration = CacheDuration, ct);
}
