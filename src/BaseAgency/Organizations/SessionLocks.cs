using Marten;
using Npgsql;

namespace BaseAgency.Organizations;

/// <summary>
/// Locks held until the session's transaction ends (Wolverine commits it after the handler), for rules that must be
/// decided one request at a time: two requests that take the same lock are decided one after the other, each seeing
/// what the one before it committed.
/// </summary>
public static class SessionLocks
{
    /// <summary>The organization's row lock: rules about the organization as a whole ("keep one admin").</summary>
    public static Task LockOrganizationAsync(this IDocumentSession session, Guid organizationId, CancellationToken ct) =>
        session.LockRowAsync<Organization>(organizationId, ct);

    /// <summary>One document's row lock (e.g. a webhook endpoint whose failure count several deliveries update).</summary>
    public static async Task LockRowAsync<TDocument>(this IDocumentSession session, Guid id, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(TDocument)).TableName.QualifiedName;
        await using var command = new NpgsqlCommand($"select 1 from {table} where id = $1 for update", session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await command.ExecuteScalarAsync(ct);
    }

    /// <summary>A lock on a name that has no row (yet), e.g. the sign-in attempts of an e-mail address: an advisory lock.</summary>
    public static async Task LockNameAsync(this IDocumentSession session, string name, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await command.ExecuteNonQueryAsync(ct);
    }
}
