using Marten;
using Npgsql;

namespace BaseAgency.Organizations;

public static class OrganizationLock
{
    /// <summary>
    /// Takes the organization's row lock, held until the session's transaction ends (Wolverine commits it after the
    /// handler). Rules about the organization as a whole ("keep one admin") read and change it under this lock, so two
    /// changes at once are decided one after the other and cannot together break the rule.
    /// </summary>
    public static async Task LockOrganizationAsync(this IDocumentSession session, Guid organizationId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(Organization)).TableName.QualifiedName;
        await using var command = new NpgsqlCommand($"select 1 from {table} where id = $1 for update", session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = organizationId });
        await command.ExecuteScalarAsync(ct);
    }
}
