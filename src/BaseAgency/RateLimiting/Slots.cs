using BaseAgency.Plans;
using Microsoft.Extensions.Options;

namespace BaseAgency.RateLimiting;

/// <summary>
/// Counts of things held open on this node (open event streams) under caps. Taking a slot takes
/// every named one or none; disposing the returned handle gives them back.
/// </summary>
public abstract class Slots
{
    private readonly Dictionary<string, int> _held = new();

    /// <summary>A handle on the slots, or null when one of the caps is reached (a cap of −1 is unlimited).</summary>
    public IDisposable? TryTake(params (string Key, int Cap)[] slots)
    {
        lock (_held)
        {
            if (slots.Any(s => !PlanLimits.Allows(s.Cap, _held.GetValueOrDefault(s.Key)))) return null;
            foreach (var (key, _) in slots) _held[key] = _held.GetValueOrDefault(key) + 1;
        }
        return new Handle(this, slots.Select(s => s.Key).ToArray());
    }

    public int HeldBy(string key)
    {
        lock (_held) return _held.GetValueOrDefault(key);
    }

    private void Give(string[] keys)
    {
        lock (_held)
            foreach (var key in keys)
                if (--_held[key] == 0) _held.Remove(key);
    }

    private sealed class Handle(Slots slots, string[] keys) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) slots.Give(keys);
        }
    }
}

/// <summary>
/// The plan's cap on an organization's running jobs (MaxRunningJobs), so no organization fills every worker slot. The
/// worker counts the organization's running jobs in the database under a lock, so the cap holds across all nodes.
/// </summary>
public sealed class RunningJobs(CurrentPlans plans, IOptionsMonitor<RateLimitOptions> options)
{
    /// <summary>How many jobs the organization may run at once; <see cref="PlanLimits.Unlimited"/> when limits are off.</summary>
    public async Task<int> CapAsync(Guid organizationId, CancellationToken ct) =>
        options.CurrentValue.Enabled
            ? (await plans.ForAsync(organizationId, ct))?.Limits.MaxRunningJobs ?? PlanLimits.Unlimited
            : PlanLimits.Unlimited;

    /// <summary>The lock a worker holds while it counts and claims a running slot (until its transaction ends).</summary>
    public static string LockName(Guid organizationId) => $"running-jobs:{organizationId:N}";
}

/// <summary>Event streams open on this node per user and per organization (each holds one of this node's connections).</summary>
public sealed class OpenStreams(IOptionsMonitor<RateLimitOptions> options) : Slots
{
    /// <summary>A handle on an open stream, or null when the user or the organization has as many open as allowed.</summary>
    public IDisposable? TryOpen(Guid userId, Guid organizationId)
    {
        var o = options.CurrentValue;
        return o.Enabled
            ? TryTake(($"user:{userId:N}", o.MaxStreamsPerUser), ($"org:{organizationId:N}", o.MaxStreamsPerOrganization))
            : TryTake();
    }
}
