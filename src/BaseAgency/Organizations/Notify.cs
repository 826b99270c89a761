using Marten;

namespace BaseAgency.Organizations;

/// <summary>Postgres NOTIFY queued in a session's transaction: delivered to every listener when, and only if, it commits.</summary>
public static class Notify
{
    /// <summary>
    /// Queued as the NOTIFY statement rather than <c>select pg_notify(…)</c>: a select returns a row of type void that Marten's
    /// batch would hand to the next operation's result reader (a versioned update then fails reading its version). NOTIFY takes
    /// no parameters, so the payload is a literal, quoted here ('?' would read as a placeholder).
    /// </summary>
    public static void OnCommit(IDocumentSession session, string channel, string payload)
    {
        if (channel.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_')) throw new ArgumentException("Channel names are plain identifiers.", nameof(channel));
        if (payload.Contains('\0') || payload.Contains(';') || payload.Contains('?')) throw new ArgumentException("The payload cannot be sent.", nameof(payload));
        session.QueueSqlCommand($"notify {channel}, '{payload.Replace("'", "''")}'");
    }
}
