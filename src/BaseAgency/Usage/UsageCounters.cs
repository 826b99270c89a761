using BaseAgency.Generations;
using BaseAgency.Providers;
using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BaseAgency.Usage;

/// <summary>
/// The usage projection: counters per organization × UTC day × user × API key × provider × model × type, added to in
/// the transaction of the change they count (an upsert queued on the change's own session), so they never drift from
/// the jobs and a read sums days, never generations. A plain table rather than a Marten projection: many writers add
/// to the same row at once, which an upsert of increments takes without a read or a version conflict.
/// Rows of API requests (counted by <see cref="ApiRequestCounts"/>) have no provider, model or type (empty strings).
/// </summary>
public static class UsageCounters
{
    public const string TableName = "usage_counters";
    public const string StorageTableName = "usage_storage";

    /// <summary>The key column's value for work done in a signed-in session, not with a key (a primary key cannot hold null).</summary>
    public static readonly Guid NoKey = Guid.Empty;

    private static readonly string[] KeyColumns = ["organization_id", "day", "user_id", "api_key_id", "provider", "model", "type"];

    public static readonly string[] CountColumns =
        ["jobs_submitted", "jobs_completed", "jobs_failed", "jobs_canceled", "credits_used", "cost_usd", "tokens", "units", "api_requests", "api_errors"];

    public static Table Table(string schema)
    {
        // Named: the generated name of a seven-column key is longer than PostgreSQL keeps, so it would never match on the next start.
        var table = new Table(new PostgresqlObjectName(schema, TableName)) { PrimaryKeyName = $"pk_{TableName}" };
        table.AddColumn<Guid>("organization_id").AsPrimaryKey();
        table.AddColumn("day", "date").AsPrimaryKey();
        table.AddColumn<Guid>("user_id").AsPrimaryKey();
        table.AddColumn<Guid>("api_key_id").AsPrimaryKey();
        table.AddColumn<string>("provider").AsPrimaryKey();
        table.AddColumn<string>("model").AsPrimaryKey();
        table.AddColumn<string>("type").AsPrimaryKey();
        foreach (var column in CountColumns)
            table.AddColumn(column, column == "cost_usd" ? "numeric" : "bigint").NotNull().DefaultValueByExpression("0");
        // The platform's cost view reads every organization by month.
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_day") { Columns = ["day"] });
        return table;
    }

    /// <summary>Bytes of generated files an organization keeps (files stay stored after a soft delete): one row each, read at once.</summary>
    public static Table StorageTable(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, StorageTableName));
        table.AddColumn<Guid>("organization_id").AsPrimaryKey();
        table.AddColumn("bytes", "bigint").NotNull().DefaultValueByExpression("0");
        return table;
    }

    /// <summary>
    /// Counts the job as it is now, in <paramref name="session"/>'s transaction: a new job as submitted (on the day it was made),
    /// a finished one by how it ended (on the day it ended), with what it used and the files it left. Called once per transition.
    /// </summary>
    public static void Count(IDocumentSession session, GenerationJob job, IReadOnlyList<GenerationFile>? stored = null)
    {
        var counts = CountsOf(job, stored?.Sum(f => f.SizeBytes) ?? 0);
        var day = DateOnly.FromDateTime((job.IsFinished ? job.CompletedAt ?? job.CreatedAt : job.CreatedAt).UtcDateTime);
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        session.QueueSqlCommand(UpsertSql(schema),
            job.OrganizationId, day, job.UserId, job.ApiKeyId ?? NoKey, job.Provider, job.Model, TypeName(job.Type),
            counts.JobsSubmitted, counts.JobsCompleted, counts.JobsFailed, counts.JobsCanceled, counts.CreditsUsed, counts.CostUsd,
            counts.Tokens, counts.Units, 0L, 0L);
        if (counts.StoredBytes > 0)
            session.QueueSqlCommand(
                $"insert into {schema}.{StorageTableName} as s (organization_id, bytes) values (?, ?) " +
                "on conflict (organization_id) do update set bytes = s.bytes + excluded.bytes", job.OrganizationId, counts.StoredBytes);
    }

    /// <summary>What one transition of a job adds to its row: a pure function of the job.</summary>
    public static JobCounts CountsOf(GenerationJob job, long storedBytes = 0) => job.Status switch
    {
        JobStatus.Completed => new JobCounts(0, 1, 0, 0, job.CreditsUsed, job.CostUsd, job.TokensInput + job.TokensOutput,
            QuotaUsage.UnitsOf(job.Type, job.Input), storedBytes),
        JobStatus.Failed => new JobCounts(0, 0, 1, 0, job.CreditsUsed, 0, 0, 0, 0),
        JobStatus.Canceled => new JobCounts(0, 0, 0, 1, job.CreditsUsed, 0, 0, 0, 0),
        _ => new JobCounts(1, 0, 0, 0, 0, 0, 0, 0, 0),
    };

    public static string TypeName(GenerationType type) => type.ToString().ToLowerInvariant();

    /// <summary>Adds to one row, creating it when it is the first count of its key; racing writers add, never overwrite.</summary>
    public static string UpsertSql(string schema) =>
        $"insert into {schema}.{TableName} as u ({string.Join(", ", KeyColumns)}, {string.Join(", ", CountColumns)}) " +
        $"values ({string.Join(", ", Enumerable.Repeat("?", KeyColumns.Length + CountColumns.Length))}) " +
        $"on conflict ({string.Join(", ", KeyColumns)}) do update set " +
        string.Join(", ", CountColumns.Select(c => $"{c} = u.{c} + excluded.{c}"));
}

/// <summary>What a job adds to its usage row (and, when its files are kept, to the organization's storage).</summary>
public sealed record JobCounts(long JobsSubmitted, long JobsCompleted, long JobsFailed, long JobsCanceled, long CreditsUsed, decimal CostUsd,
    long Tokens, long Units, long StoredBytes);
