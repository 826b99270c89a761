using Marten;
using Marten.Services;
using BaseAgency.Organizations;
using Npgsql;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Caching;

/// <summary>
/// Cached answers that a change makes wrong (a member removed, a role changed, a key revoked) are forgotten on every
/// node: the change queues a Postgres NOTIFY in its own transaction, which Postgres delivers only if and when it
/// commits, to every node's <see cref="CacheInvalidationListener"/>. The node that made the change forgets at once
/// after its commit, so its own next request already sees it.
/// </summary>
public static class CacheInvalidation
{
    public const string Channel = "baseagency_cache";

    public static void ForgetOnCommit(IDocumentSession session, IFusionCache cache, string key)
    {
        Notify.OnCommit(session, Channel, key);
        session.Listeners.Add(new ForgetAfterCommit(cache, key));
    }

    // Forgetting before the commit would let a request in between cache the old answer again.
    private sealed class ForgetAfterCommit(IFusionCache cache, string key) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) =>
            cache.RemoveAsync(key, token: token).AsTask();
    }
}

/// <summary>
/// Hears <see cref="CacheInvalidation.Channel"/> and forgets each key it hears of, within milliseconds of the change's
/// commit. After each (re)connection it forgets everything this node had cached, since what it missed is unknown.
/// </summary>
public sealed class CacheInvalidationListener(NpgsqlDataSource database, IFusionCache cache, ILogger<CacheInvalidationListener> log)
    : NotifyListener(database, log, CacheInvalidation.Channel)
{
    protected override void Heard(string channel, string payload) => cache.Remove(payload);

    protected override Task CatchUpAsync(CancellationToken ct) => cache.ClearAsync(allowFailSafe: false, token: ct).AsTask();
}
