using BaseAgency.Organizations;
using Marten;
using Npgsql;

namespace BaseAgency.Generations;

/// <summary>
/// Hears <see cref="JobUpdates.CancelChannel"/>, so a cancel accepted by any node stops the job on the node that runs it
/// within milliseconds of the cancel's commit. A cancel announced while it was disconnected is found by asking the
/// database which of this node's jobs were canceled.
/// </summary>
public sealed class CancelListener(NpgsqlDataSource database, IDocumentStore store, JobUpdates updates, ILogger<CancelListener> log)
    : NotifyListener(database, log, JobUpdates.CancelChannel)
{
    protected override void Heard(string channel, string payload)
    {
        if (Guid.TryParse(payload, out var jobId)) Stop(jobId);
    }

    private void Stop(Guid jobId)
    {
        updates.Cancel(jobId);
        updates.Finished(jobId);
    }

    protected override async Task CatchUpAsync(CancellationToken ct)
    {
        var held = updates.Held;
        if (held.Length == 0) return;
        await using var session = store.QuerySession();
        var canceled = await session.Query<GenerationJob>()
            .Where(j => j.AnyTenant() && held.Contains(j.Id) && j.Status == JobStatus.Canceled)
            .Select(j => j.Id).ToListAsync(ct);
        foreach (var jobId in canceled) Stop(jobId);
    }
}
