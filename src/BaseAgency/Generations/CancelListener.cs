using Marten;
using Npgsql;

namespace BaseAgency.Generations;

/// <summary>
/// Listens on <see cref="JobUpdates.CancelChannel"/> on one connection of its own, so a cancel accepted by any node stops
/// the job on the node that runs it within milliseconds of the cancel's commit. Notifications sent while it was
/// disconnected are lost, so after each (re)connection it asks the database which of this node's jobs were canceled.
/// </summary>
public sealed class CancelListener(NpgsqlDataSource database, IDocumentStore store, JobUpdates updates, ILogger<CancelListener> log)
    : BackgroundService
{
    /// <summary>Set once the listener is connected (tests wait for it).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) => Heard(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {JobUpdates.CancelChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                await CatchUpAsync(stopping);
                Listening.TrySetResult();
                while (!stopping.IsCancellationRequested) await connection.WaitAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LogWarning(e, "The cancel listener lost its database connection; reconnecting in a second");
                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Heard(string payload)
    {
        if (!Guid.TryParse(payload, out var jobId)) return;
        updates.Cancel(jobId);
        updates.Finished(jobId);
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        var held = updates.Held;
        if (held.Length == 0) return;
        await using var session = store.QuerySession();
        var canceled = await session.Query<GenerationJob>()
            .Where(j => j.AnyTenant() && held.Contains(j.Id) && j.Status == JobStatus.Canceled)
            .Select(j => j.Id).ToListAsync(ct);
        foreach (var jobId in canceled) Heard(jobId.ToString());
    }
}
