using BaseAgency.Caching;
using BaseAgency.Organizations;
using Marten;
using Marten.Services;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Plans;

/// <summary>
/// An organization's current plan for checks made on every request (rate limits, running-job caps, API access), cached.
/// Every stored subscription forgets it on every node at commit (<see cref="ForgetPlanWhenSubscriptionChanges"/>), so a
/// plan change applies to the next request; <see cref="CacheDuration"/> bounds what a lost notification could leave.
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

/// <summary>
/// Whichever path changes a subscription (a paid invoice, a renewal, a grace period ending, an operator), its cached plan is
/// forgotten when the change commits: announced to every node in the change's transaction, and forgotten here after it.
/// </summary>
public sealed class ForgetPlanWhenSubscriptionChanges(IFusionCache cache) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        // Listed first: queuing the NOTIFY adds to the very operations being listed.
        foreach (var subscription in session.PendingChanges.AllChangedFor<Subscription>().ToList())
            Notify.OnCommit(session, CacheInvalidation.Channel, CurrentPlans.CacheKey(subscription.Id));
        return Task.CompletedTask;
    }

    public override async Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var subscription in commit.Inserted.Concat(commit.Updated).OfType<Subscription>())
            await cache.RemoveAsync(CurrentPlans.CacheKey(subscription.Id), token: token);
    }
}
