using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace BaseAgency.RateLimiting;

/// <summary>A request counted against one limit: whether it fits, what is left and when the window ends.</summary>
public readonly record struct WindowCount(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter);

/// <summary>
/// Fixed-window limiters, one partition per <see cref="LimitRule"/>; the counting is System.Threading.RateLimiting's.
/// A rule's partition key holds its limit and window, so a plan change starts counting under the new limit.
/// </summary>
public interface IRequestLimiter
{
    ValueTask<WindowCount> AcquireAsync(LimitRule rule, CancellationToken ct);
}

/// <summary>
/// One node's limiters: <see cref="FixedWindowRateLimiter"/> partitions, replenished by the partitioned limiter's timer,
/// and dropped by it once idle. Exact on one node, per node on several.
/// </summary>
public sealed class InProcessRequestLimiter : IRequestLimiter, IDisposable
{
    private readonly TimeProvider _clock;
    private readonly PartitionedRateLimiter<LimitRule> _limiter;

    // When each live partition's window opened: the library says how many permits are left, not when they come back.
    private readonly ConcurrentDictionary<LimitRule, long> _opened = new();

    public InProcessRequestLimiter(TimeProvider clock)
    {
        _clock = clock;
        _limiter = PartitionedRateLimiter.Create<LimitRule, LimitRule>(rule => RateLimitPartition.Get(rule, r =>
        {
            _opened[r] = _clock.GetTimestamp();
            return new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = r.Limit, Window = r.Window, QueueLimit = 0, AutoReplenishment = true,
            });
        }));
    }

    public ValueTask<WindowCount> AcquireAsync(LimitRule rule, CancellationToken ct)
    {
        using var lease = _limiter.AttemptAcquire(rule);
        var remaining = (int)(_limiter.GetStatistics(rule)?.CurrentAvailablePermits ?? 0);
        if (_opened.Count > 65_536) Prune(); // partitions of idle keys are gone; so must their start times be
        var elapsed = _opened.TryGetValue(rule, out var opened) ? _clock.GetElapsedTime(opened) : TimeSpan.Zero;
        var resetAfter = rule.Window - TimeSpan.FromTicks(elapsed.Ticks % rule.Window.Ticks);
        return ValueTask.FromResult(new WindowCount(lease.IsAcquired, rule.Limit, remaining, resetAfter));
    }

    private void Prune()
    {
        foreach (var (rule, opened) in _opened)
            if (_clock.GetElapsedTime(opened) > rule.Window * 2) _opened.TryRemove(rule, out _);
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// Limiters shared by every node through Redis: RedisRateLimiting's fixed window, one atomic script per request.
/// When Redis does not answer, the request is counted by this node's limiters instead (fail open to the per-node
/// limit, with a warning), so an outage of Redis loosens the limits but never stops the API.
/// </summary>
public sealed class RedisRequestLimiter : IRequestLimiter, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly InProcessRequestLimiter _fallback;
    private readonly ILogger<RedisRequestLimiter> _log;
    private readonly PartitionedRateLimiter<LimitRule> _limiter;
    private long _lastWarning;

    public RedisRequestLimiter(IConnectionMultiplexer redis, InProcessRequestLimiter fallback, ILogger<RedisRequestLimiter> log)
    {
        (_redis, _fallback, _log) = (redis, fallback, log);
        _limiter = PartitionedRateLimiter.Create<LimitRule, string>(rule => RedisRateLimitPartition.GetFixedWindowRateLimiter(
            $"{rule.Key}:{rule.Limit}:{(long)rule.Window.TotalSeconds}",
            _ => new RedisFixedWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => redis, PermitLimit = rule.Limit, Window = rule.Window }));
    }

    public async ValueTask<WindowCount> AcquireAsync(LimitRule rule, CancellationToken ct)
    {
        // While disconnected the client would queue the script until its timeout; a request must not wait for that.
        if (!_redis.IsConnected) return await FallBackAsync(rule, null, ct);
        try
        {
            using var lease = await _limiter.AcquireAsync(rule, 1, ct);
            var remaining = lease.TryGetMetadata(RateLimitMetadataName.Remaining, out var left) ? (int)left : 0;
            var resetAfter = lease.TryGetMetadata(RateLimitMetadataName.Reset, out var expiresAt)
                ? DateTimeOffset.FromUnixTimeMilliseconds(expiresAt) - DateTimeOffset.UtcNow // the script's clock is this node's
                : rule.Window;
            return new WindowCount(lease.IsAcquired, rule.Limit, remaining, resetAfter < TimeSpan.Zero ? TimeSpan.Zero : resetAfter);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return await FallBackAsync(rule, e, ct);
        }
    }

    private ValueTask<WindowCount> FallBackAsync(LimitRule rule, Exception? error, CancellationToken ct)
    {
        // One warning a minute is enough to be seen without flooding the log during an outage.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (last == 0 || now - last > 60_000)
            if (Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
                _log.LogWarning(error, "Redis does not answer; rate limits are counted per node until it does");
        return _fallback.AcquireAsync(rule, ct);
    }

    public void Dispose() => _limiter.Dispose();
}
