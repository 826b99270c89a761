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
/// Listens on <see cref="CacheInvalidation.Channel"/> on one connection of its own and forgets each key it hears of,
/// within milliseconds of the change's commit. Notifications sent while it was disconnected are lost, so after each
/// (re)connection it forgets everything this node had cached.
/// </summary>
public sealed class CacheInvalidationListener(NpgsqlDataSource database, IFusionCache cache, ILogger<CacheInvalidationListener> log)
    : BackgroundService
{
    /// <summary>Set once the listener is connected (tests wait for it; a node serves before that with a cache that expires).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) => cache.Remove(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {CacheInvalidation.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                await cache.ClearAsync(allowFailSafe: false, token: stopping);
                Listening.TrySetResult();
                while (!stopping.IsCancellationRequested) await connection.WaitAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LogWarning(e, "The cache invalidation listener lost its database connection; reconnecting in a second");
                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
