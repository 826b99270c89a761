using System.Collections.Concurrent;
using System.Diagnostics;
using BaseAgency.Events;

namespace BaseAgency.Generations;

/// <summary>
/// Running jobs on this node: their progress (kept only in memory; the database holds states), announced to every
/// node's live streams as <c>job.progress</c> at most twice a second per job (the latest value always goes out), and
/// the customer's cancel, which stops a running attempt at once.
/// </summary>
public sealed class JobUpdates(EventHub hub, TimeProvider clock, ILogger<JobUpdates> log)
{
    /// <summary>A provider may report progress many times a second; every watcher on every node hears at most this often.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<Guid, int> _progress = new();
    private readonly ConcurrentDictionary<Guid, Announcement> _announcements = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public int? ProgressOf(Guid jobId) => _progress.TryGetValue(jobId, out var p) ? p : null;

    public void Progressed(Guid organizationId, Guid jobId, int percent)
    {
        _progress[jobId] = percent;
        var announcement = _announcements.GetOrAdd(jobId, _ => new Announcement());
        TimeSpan wait;
        lock (announcement)
        {
            if (announcement.Scheduled) return; // the scheduled one sends the latest value
            wait = ProgressInterval - Stopwatch.GetElapsedTime(announcement.LastSent);
            announcement.Scheduled = true;
        }
        _ = AnnounceAsync(organizationId, jobId, announcement, wait);
    }

    /// <summary>The job finished (or was canceled): its progress is no longer news.</summary>
    public void Finished(Guid jobId)
    {
        _progress.TryRemove(jobId, out _);
        _announcements.TryRemove(jobId, out _);
    }

    private async Task AnnounceAsync(Guid organizationId, Guid jobId, Announcement announcement, TimeSpan wait)
    {
        try
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            lock (announcement)
            {
                announcement.Scheduled = false;
                announcement.LastSent = Stopwatch.GetTimestamp();
            }
            if (ProgressOf(jobId) is { } percent)
                await hub.PublishLiveAsync(organizationId, EventTypes.JobProgress, new JobProgress(jobId, percent), clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not announce the progress of job {JobId}", jobId);
        }
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

    public void Cancel(Guid jobId)
    {
        if (_running.TryGetValue(jobId, out var source)) source.Cancel();
    }

    private sealed class Announcement
    {
        public long LastSent;
        public bool Scheduled;
    }
}

/// <summary>The data of a <c>job.progress</c> event.</summary>
public sealed record JobProgress(Guid Id, int Progress);
