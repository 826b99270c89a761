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

/// <summary>Deletes the audit entries older than the retention window: the only way an entry ever leaves the log. Sent daily by every node.</summary>
public sealed record PurgeAuditLog;

public static class PurgeAuditLogHandler
{
    public static void Handle(PurgeAuditLog command, IDocumentSession session, TimeProvider clock, IOptions<AuditOptions> options)
    {
        var cutoff = AuditRetention.CutoffOf(clock.GetUtcNow(), options.Value.RetentionDays);
        session.DeleteWhere<AuditEntry>(a => a.At < cutoff);
    }
}

public static class AuditRetention
{
    public static DateTimeOffset CutoffOf(DateTimeOffset now, int retentionDays) => now.AddDays(-retentionDays);
}
