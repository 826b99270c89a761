using BaseAgency.Generations;
using BaseAgency.Providers;
using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BaseAgency.Usage;

/// <summary>The ways a usage row is keyed besides its day: the whole day, or one user, key, provider, model or type on it.</summary>
public enum UsageDimension { All, User, ApiKey, Provider, Model, Type }

/// <summary>What a row's day stands for: that day, or the month it starts (so a long range reads a row a month, not a day).</summary>
public enum UsageSpan { Day, Month }

/// <summary>Where some usage happened: whose it was, with which key (null: a signed-in session), on which provider, model and type.</summary>
/// <remarks>API requests have no provider, model or type (empty strings).</remarks>
public sealed record UsageSource(Guid OrganizationId, DateOnly Day, Guid UserId, Guid? ApiKeyId, string Provider, string Model, string Type);

/// <summary>What one change adds to the rows of its <see cref="UsageSource"/>.</summary>
public sealed record UsageCounts(long JobsSubmitted = 0, long JobsCompleted = 0, long JobsFailed = 0, long JobsCanceled = 0, long CreditsUsed = 0,
    decimal CostUsd = 0, long Tokens = 0, long Units = 0, long ApiRequests = 0, long ApiErrors = 0, long StoredBytes = 0)
{
    /// <summary>In the order of <see cref="UsageCounters.CountColumns"/>.</summary>
    public object[] Values => [JobsSubmitted, JobsCompleted, JobsFailed, JobsCanceled, CreditsUsed, CostUsd, Tokens, Units, ApiRequests, ApiErrors];
}

/// <summary>
/// One row a change adds to: the whole organization's (<see cref="UsageCounters.Everyone"/>) or one member's, by one dimension and key,
/// for its day or its month (<paramref name="Day"/> is then the month's first).
/// </summary>
public readonly record struct UsageRowKey(Guid Scope, UsageDimension Dimension, string Key, UsageSpan Span, DateOnly Day);

/// <summary>
/// The usage projection: counters per organization × UTC day, added to in the transaction of the change they count (an upsert
/// queued on the change's own session), so they never drift from the jobs. Each change adds to one row per dimension (the day,
/// its user, key, provider, model and type), for the whole organization and again for its member, for its day and again for its
/// month: a report grouped one way reads only that dimension's rows, a row a month for whole months and a row a day for the rest,
/// so its cost follows months × distinct users, keys or models, never the number of generations.
/// A plain table rather than a Marten projection: many writers add to the same rows, which an upsert of increments takes without a
/// read or a version conflict (and a job's writers already queue on the organization's ledger lock).
/// </summary>
public static class UsageCounters
{
    public const string TableName = "usage_counters";
    public const string StorageTableName = "usage_storage";

    /// <summary>The scope of the whole organization's rows (a member's rows have the member's id).</summary>
    public static readonly Guid Everyone = Guid.Empty;

    private static readonly string[] KeyColumns = ["organization_id", "user_scope", "dimension", "span", "day", "key"];

    public static readonly string[] CountColumns =
        ["jobs_submitted", "jobs_completed", "jobs_failed", "jobs_canceled", "credits_used", "cost_usd", "tokens", "units", "api_requests", "api_errors"];

    public static Table Table(string schema)
    {
        // Named: the generated name of a six-column key is longer than PostgreSQL keeps, so it would never match on the next start.
        var table = new Table(new PostgresqlObjectName(schema, TableName)) { PrimaryKeyName = $"pk_{TableName}" };
        table.AddColumn<Guid>("organization_id").AsPrimaryKey();
        table.AddColumn<Guid>("user_scope").AsPrimaryKey();
        table.AddColumn<string>("dimension").AsPrimaryKey();
        table.AddColumn<string>("span").AsPrimaryKey();
        table.AddColumn("day", "date").AsPrimaryKey();
        table.AddColumn<string>("key").AsPrimaryKey();
        foreach (var column in CountColumns)
            table.AddColumn(column, column == "cost_usd" ? "numeric" : "bigint").NotNull().DefaultValueByExpression("0");
        // The platform's cost view reads every organization by month.
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_dimension_span_day") { Columns = ["dimension", "span", "day"] });
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
        var source = new UsageSource(job.OrganizationId, day, job.UserId, job.ApiKeyId, job.Provider, job.Model, TypeName(job.Type));
        var rows = RowsOf(source);
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        session.QueueSqlCommand(UpsertSql(schema), [source.OrganizationId, .. counts.Values, rows.Select(r => r.Scope).ToArray(),
            rows.Select(r => NameOf(r.Dimension)).ToArray(), rows.Select(r => NameOf(r.Span)).ToArray(), rows.Select(r => r.Day).ToArray(),
            rows.Select(r => r.Key).ToArray()]);
        if (counts.StoredBytes > 0)
            session.QueueSqlCommand(
                $"insert into {schema}.{StorageTableName} as s (organization_id, bytes) values (?, ?) " +
                "on conflict (organization_id) do update set bytes = s.bytes + excluded.bytes", job.OrganizationId, counts.StoredBytes);
    }

    /// <summary>What one transition of a job adds: a pure function of the job.</summary>
    public static UsageCounts CountsOf(GenerationJob job, long storedBytes = 0) => job.Status switch
    {
        JobStatus.Completed => new(JobsCompleted: 1, CreditsUsed: job.CreditsUsed, CostUsd: job.CostUsd, Tokens: job.TokensInput + job.TokensOutput,
            Units: QuotaUsage.UnitsOf(job.Type, job.Input), StoredBytes: storedBytes),
        JobStatus.Failed => new(JobsFailed: 1, CreditsUsed: job.CreditsUsed),
        JobStatus.Canceled => new(JobsCanceled: 1, CreditsUsed: job.CreditsUsed),
        _ => new(JobsSubmitted: 1),
    };

    /// <summary>The rows some usage adds to: every dimension, for the whole organization and for its member, for its day and its month.</summary>
    public static IReadOnlyList<UsageRowKey> RowsOf(UsageSource source) =>
        [.. from scope in new[] { Everyone, source.UserId }
            from span in new[] { (Span: UsageSpan.Day, Day: source.Day), (Span: UsageSpan.Month, Day: MonthOf(source.Day)) }
            from key in new (UsageDimension Dimension, string Key)[]
            {
                (UsageDimension.All, ""), (UsageDimension.User, source.UserId.ToString()), (UsageDimension.ApiKey, source.ApiKeyId?.ToString() ?? ""),
                (UsageDimension.Provider, source.Provider), (UsageDimension.Model, source.Model), (UsageDimension.Type, source.Type),
            }
            select new UsageRowKey(scope, key.Dimension, key.Key, span.Span, span.Day)];

    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    public static string TypeName(GenerationType type) => type.ToString().ToLowerInvariant();

    public static string NameOf(UsageDimension dimension) => dimension.ToString().ToLowerInvariant();

    public static string NameOf(UsageSpan span) => span.ToString().ToLowerInvariant();

    /// <summary>
    /// Adds the same counts to several rows of one organization (their scopes, dimensions, spans, days and keys in five arrays, last),
    /// creating the rows that are new; racing writers add, never overwrite. Parameters: organization, the counts, the arrays.
    /// </summary>
    public static string UpsertSql(string schema) =>
        $"insert into {schema}.{TableName} as u ({string.Join(", ", KeyColumns)}, {string.Join(", ", CountColumns)}) " +
        $"select ?, s, d, p, y, k, {string.Join(", ", CountColumns.Select(_ => "?"))} " +
        "from unnest(?::uuid[], ?::text[], ?::text[], ?::date[], ?::text[]) as r(s, d, p, y, k) " +
        $"on conflict ({string.Join(", ", KeyColumns)}) do update set " + Increments;

    /// <summary>The upsert's update: each count added to what the row holds.</summary>
    public static string Increments => string.Join(", ", CountColumns.Select(c => $"{c} = u.{c} + excluded.{c}"));

    public static string Columns => $"{string.Join(", ", KeyColumns)}, {string.Join(", ", CountColumns)}";

    public static string ConflictColumns => string.Join(", ", KeyColumns);
}
