using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Platform;

/// <summary>Configuration section "Audit".</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Entries older than this many days are deleted by the daily <see cref="PurgeAuditLog"/>.</summary>
    public int RetentionDays { get; set; } = 365;
}

/// <summary>Deletes the audit entries older than the retention window: the only way an entry ever leaves the log.</summary>
public sealed record PurgeAuditLog;

public static class PurgeAuditLogHandler
{
    public static void Handle(PurgeAuditLog command, IDocumentSession session, TimeProvider clock, IOptions<AuditOptions> options)
    {
        var cutoff = AuditRetention.CutoffOf(clock.GetUtcNow(), options.Value.RetentionDays);
        session.DeleteWhere<AuditEntry>(a => a.At < cutoff);
    }
}

/// <summary>
/// Sends <see cref="PurgeAuditLog"/> at start-up and then once a day. Every node does: the delete is idempotent, so
/// no leader is needed, and a node down for a day never leaves the log past its window.
/// </summary>
public sealed class AuditRetention(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<AuditRetention> log)
    : BackgroundService
{
    public static DateTimeOffset CutoffOf(DateTimeOffset now, int retentionDays) => now.AddDays(-retentionDays);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // Wolverine takes messages once the host has started.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult)) await started.Task.WaitAsync(stopping);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new PurgeAuditLog(), stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                log.LogError(error, "Could not purge the audit log; trying again tomorrow");
            }
            await Task.Delay(TimeSpan.FromDays(1), clock, stopping);
        }
    }
}
