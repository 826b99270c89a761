using System.Collections.Concurrent;
using System.Diagnostics;
using BaseAgency.Events;
using BaseAgency.Organizations;
using Marten;

namespace BaseAgency.Generations;

/// <summary>
/// Running jobs on this node: their progress (kept only in memory; the database holds states), announced to every
/// node's live streams as <c>job.progress</c> at most twice a second per job (the latest value always goes out), and
/// cancels heard from any node, which stop a running attempt or a retry's wait at once.
/// </summary>
public sealed class JobUpdates(EventHub hub, TimeProvider clock, ILogger<JobUpdates> log)
{
    /// <summary>A provider may report progress many times a second; every watcher on every node hears at most this often.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Postgres channel of committed cancels; the payload is the job's id.</summary>
    public const string CancelChannel = "baseagency_cancel";

    /// <summary>
    /// How long a heard cancel is remembered for a worker that registers the job just after (it read the job an instant
    /// before the cancel committed). Far longer than that instant; a canceled job never runs again, so this only bounds memory.
    /// </summary>
    private static readonly TimeSpan CancelMemory = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, int> _progress = new();
    private readonly ConcurrentDictionary<Guid, Announcement> _announcements = new();
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<Guid, long> _canceled = new();

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
    /// A worker registers the job it runs or waits to retry, so a cancel heard on this node stops it at once. The source is
    /// canceled only by a cancel of the job, never by the node stopping; it comes already canceled when the cancel was
    /// heard a moment before the worker registered.
    /// </summary>
    public CancellationTokenSource Running(Guid jobId)
    {
        var source = new CancellationTokenSource();
        _running[jobId] = source;
        if (_canceled.ContainsKey(jobId)) source.Cancel(); // checked after registering, so Cancel sees one or the other
        return source;
    }

    public void Stopped(Guid jobId) => _running.TryRemove(jobId, out _);

    /// <summary>The jobs this node runs or holds for a retry now.</summary>
    public Guid[] Held => [.. _running.Keys];

    /// <summary>Every node hears this (see <see cref="CancelListener"/>): the node running or holding the job stops it.</summary>
    public void Cancel(Guid jobId)
    {
        var now = Stopwatch.GetTimestamp();
        _canceled[jobId] = now;
        foreach (var (id, heard) in _canceled)
            if (Stopwatch.GetElapsedTime(heard, now) > CancelMemory) _canceled.TryRemove(id, out _);
        if (!_running.TryGetValue(jobId, out var source)) return;
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The worker was done with the job in between.
        }
    }

    /// <summary>
    /// Queues the cancel's announcement in the session that cancels the job: Postgres delivers it to every node's
    /// <see cref="CancelListener"/> when, and only if, the cancel commits, so a worker that stops finds the job canceled.
    /// </summary>
    public static void CancelOnCommit(IDocumentSession session, Guid jobId) => Notify.OnCommit(session, CancelChannel, jobId.ToString());

    private sealed class Announcement
    {
        public long LastSent;
        public bool Scheduled;
    }
}

/// <summary>The data of a <c>job.progress</c> event.</summary>
public sealed record JobProgress(Guid Id, int Progress);
