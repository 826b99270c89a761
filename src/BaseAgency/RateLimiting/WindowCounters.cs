using StackExchange.Redis;

namespace BaseAgency.RateLimiting;

/// <summary>A count in a fixed window: whether this hit fits under the limit, what is left and when the window ends.</summary>
public readonly record struct WindowCount(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter);

/// <summary>
/// Fixed-window counters. The window of a key opens at its first hit, so nodes sharing one store agree on it
/// without agreeing on their clocks.
/// </summary>
public interface IWindowCounters
{
    ValueTask<WindowCount> HitAsync(string key, int limit, TimeSpan window, CancellationToken ct);
}

/// <summary>One node's counters: exact on one node, per node on several.</summary>
public sealed class InProcessWindowCounters(TimeProvider clock) : IWindowCounters
{
    private readonly Dictionary<string, (int Count, DateTimeOffset Ends)> _windows = new();
    private int _hitsSincePrune;

    public ValueTask<WindowCount> HitAsync(string key, int limit, TimeSpan window, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        lock (_windows)
        {
            if (++_hitsSincePrune >= 4096) Prune(now);
            var current = _windows.TryGetValue(key, out var w) && w.Ends > now ? w : (Count: 0, Ends: now + window);
            current.Count++;
            _windows[key] = current;
            return ValueTask.FromResult(Count(current.Count, limit, current.Ends - now));
        }
    }

    /// <summary>Forgets closed windows, so a stream of new IPs cannot grow the table for ever.</summary>
    private void Prune(DateTimeOffset now)
    {
        _hitsSincePrune = 0;
        foreach (var key in _windows.Where(w => w.Value.Ends <= now).Select(w => w.Key).ToList()) _windows.Remove(key);
    }

    internal static WindowCount Count(long count, int limit, TimeSpan resetAfter) =>
        new(count <= limit, limit, (int)Math.Max(0, limit - count), resetAfter);
}

/// <summary>
/// Counters shared by every node through Redis: one atomic script increments the key and opens its window.
/// When Redis does not answer, the request is counted by this node's counters instead (fail open to the
/// per-node limit, with a warning), so an outage of Redis loosens the limits but never stops the API.
/// </summary>
public sealed class RedisWindowCounters(IConnectionMultiplexer redis, InProcessWindowCounters fallback, ILogger<RedisWindowCounters> log)
    : IWindowCounters
{
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
        return { count, ttl }
        """;

    private long _lastWarning;

    public async ValueTask<WindowCount> HitAsync(string key, int limit, TimeSpan window, CancellationToken ct)
    {
        // While disconnected the client would queue the script until its timeout; a request must not wait for that.
        if (!redis.IsConnected) return await FallBackAsync(key, limit, window, null, ct);
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
                [new RedisKey("ratelimit:" + key)], [(long)window.TotalMilliseconds]))!;
            return InProcessWindowCounters.Count((long)result[0], limit, TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return await FallBackAsync(key, limit, window, e, ct);
        }
    }

    private ValueTask<WindowCount> FallBackAsync(string key, int limit, TimeSpan window, Exception? error, CancellationToken ct)
    {
        // One warning a minute is enough to be seen without flooding the log during an outage.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (last == 0 || now - last > 60_000)
            if (Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
                log.LogWarning(error, "Redis does not answer; rate limits are counted per node until it does");
        return fallback.HitAsync(key, limit, window, ct);
    }
}
