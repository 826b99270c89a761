using Npgsql;

namespace BaseAgency.Organizations;

/// <summary>
/// Hears channels of <see cref="Notify.OnCommit"/> on a connection of its own, reconnecting a second after losing it.
/// Notifications sent while it was disconnected are lost, so after each (re)connection it catches up on what it missed.
/// </summary>
public abstract class NotifyListener(NpgsqlDataSource database, ILogger log, params string[] channels) : BackgroundService
{
    /// <summary>Set once the listener is connected and caught up (tests wait for it).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs on the connection's read loop: no database work here.</summary>
    protected abstract void Heard(string channel, string payload);

    /// <summary>Makes good what may have been announced while nobody listened; runs once listening again.</summary>
    protected abstract Task CatchUpAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) => Heard(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand(string.Join("; ", channels.Select(c => $"LISTEN {c}")), connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                await CatchUpAsync(stopping);
                Listening.TrySetResult();
                while (!stopping.IsCancellationRequested) await connection.WaitAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                log.LogWarning(e, "The listener on {Channels} lost its database connection; reconnecting in a second", string.Join(", ", channels));
                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
