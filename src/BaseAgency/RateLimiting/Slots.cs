using BaseAgency.Plans;
using Microsoft.Extensions.Options;

namespace BaseAgency.RateLimiting;

/// <summary>
/// Counts of things held open on this node (running jobs, open event streams) under caps. Taking a slot takes
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
/// Jobs running on this node per organization, capped by the plan's MaxRunningJobs, so no organization fills
/// every worker slot. The cap is per node: with several nodes an organization may run up to the cap on each.
/// </summary>
public sealed class RunningJobs(CurrentPlans plans, IOptionsMonitor<RateLimitOptions> options) : Slots
{
    /// <summary>A handle on a running slot, or null when the organization is at its cap and the job must wait.</summary>
    public async Task<IDisposable?> TryStartAsync(Guid organizationId, CancellationToken ct)
    {
        if (!options.CurrentValue.Enabled) return TryTake();
        var cap = (await plans.ForAsync(organizationId, ct))?.Limits.MaxRunningJobs ?? PlanLimits.Unlimited;
        return TryTake(($"org:{organizationId:N}", cap));
    }
}

/// <summary>Event streams open on this node per user and per organization (each holds a connection and a poll).</summary>
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
