using System.Collections.Concurrent;
using System.Threading.Channels;

namespace BaseAgency.Generations;

/// <summary>
/// Live news about running jobs on this node: progress (kept only in memory; the database holds states)
/// and a nudge for the job's event stream. Other nodes' jobs are seen by reading the database.
/// </summary>
public sealed class JobUpdates
{
    private readonly ConcurrentDictionary<Guid, int> _progress = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<bool>, byte>> _watchers = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public int? ProgressOf(Guid jobId) => _progress.TryGetValue(jobId, out var p) ? p : null;

    public void Changed(Guid jobId, int? progress = null, bool finished = false)
    {
        if (finished) _progress.TryRemove(jobId, out _);
        else if (progress is { } p) _progress[jobId] = p;
        if (_watchers.TryGetValue(jobId, out var watchers))
            foreach (var watcher in watchers.Keys) watcher.Writer.TryWrite(true);
    }

    /// <summary>Signals whenever the job changes on this node; dispose to stop watching.</summary>
    public Watch WatchJob(Guid jobId)
    {
        var channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        _watchers.GetOrAdd(jobId, _ => new()).TryAdd(channel, 0);
        return new Watch(channel.Reader, () =>
        {
            if (_watchers.TryGetValue(jobId, out var watchers) && watchers.TryRemove(channel, out _) && watchers.IsEmpty)
                _watchers.TryRemove(jobId, out _);
        });
    }

    /// <summary>
    /// A worker registers the job it runs, so a cancel on this node stops the wait at once. The source is
    /// canceled only by the customer's cancel, never by the node stopping.
    /// </summary>
    public CancellationTokenSource Running(Guid jobId)
    {
        var source = new CancellationTokenSource();
        _running[jobId] = source;
        return source;
    }

    public void Stopped(Guid jobId) => _running.TryRemove(jobId, out _);

    /// <summary>True while a worker on this node runs the job (its changes then arrive here first).</summary>
    public bool IsRunningHere(Guid jobId) => _running.ContainsKey(jobId);

    public void Cancel(Guid jobId)
    {
        if (_running.TryGetValue(jobId, out var source)) source.Cancel();
    }

    public sealed class Watch(ChannelReader<bool> reader, Action stop) : IDisposable
    {
        /// <summary>Waits for a change or the timeout, whichever comes first.</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(timeout);
            try { await reader.ReadAsync(timer.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }

        public void Dispose() => stop();
    }
}
