using BaseAgency.Billing;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BaseAgency.Usage;

/// <summary>What a usage report's rows are grouped by.</summary>
public enum UsageGrouping { Day, User, ApiKey, Provider, Model, Type }

/// <summary>
/// One group's totals. <see cref="Key"/> is the day (yyyy-MM-dd), the user or key id, the provider, model or type; null for
/// requests made without a key (by apiKey) or API requests, which have no provider, model or type.
/// </summary>
public sealed record UsageTotals(string? Key, long JobsSubmitted, long JobsCompleted, long JobsFailed, long JobsCanceled, long CreditsUsed,
    long Tokens, long ApiRequests, long ApiErrors, decimal CostUsd);

/// <summary>The usage a plan's period counts that plan documents do not: text tokens in the period, API requests today, storage.</summary>
public sealed record PeriodFigures(long TextTokens, long ApiRequestsToday, long StorageBytes);

/// <summary>The platform's cost and what it charged for one provider in one month, across organizations.</summary>
public sealed record ProviderMonth(DateOnly Month, string Provider, long Generations, long CreditsUsed, decimal CostUsd);

/// <summary>
/// Reads of <see cref="UsageCounters"/>. Each reads the rows of the days asked for (by the primary key's organization and day),
/// so its cost follows days × distinct users, keys and models, never the number of generations.
/// </summary>
public sealed class UsageReports(NpgsqlDataSource database, IDocumentStore store, ApiRequestCounts unwritten, IOptions<BillingOptions> billing)
{
    private readonly string _table = $"{store.Options.DatabaseSchemaName}.{UsageCounters.TableName}";
    private readonly string _storage = $"{store.Options.DatabaseSchemaName}.{UsageCounters.StorageTableName}";

    /// <summary>
    /// What one credit sells for: the list price of the smallest pack on sale (larger packs are discounts on it). Margins
    /// are figured on it, so they show what the platform makes on a credit at full price.
    /// </summary>
    public decimal CreditPriceUsd { get; } = billing.Value.PacksOnSale.MinBy(p => p.Credits) is { } pack ? pack.PriceCents / 100m / pack.Credits : 0;

    /// <summary>Totals of <paramref name="organizationId"/> from <paramref name="from"/> to <paramref name="to"/> (inclusive), one per group, by key.</summary>
    /// <param name="onlyUser">Only this member's rows (a member sees their own usage).</param>
    public async Task<IReadOnlyList<UsageTotals>> TotalsAsync(Guid organizationId, DateOnly from, DateOnly to, UsageGrouping groupBy,
        Guid? onlyUser, CancellationToken ct)
    {
        var key = KeyOf(groupBy);
        await using var command = database.CreateCommand(
            $"select {key} as key, sum(jobs_submitted), sum(jobs_completed), sum(jobs_failed), sum(jobs_canceled), sum(credits_used), sum(tokens), " +
            $"sum(api_requests), sum(api_errors), sum(cost_usd) from {_table} " +
            "where organization_id = $1 and day between $2 and $3 and ($4::uuid is null or user_id = $4) " +
            "group by 1 order by 1 nulls last");
        command.Parameters.Add(new NpgsqlParameter { Value = organizationId });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)onlyUser ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<UsageTotals>();
        while (await reader.ReadAsync(ct))
            rows.Add(new UsageTotals(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetDecimal(9)));
        return rows;
    }

    /// <summary>
    /// Text tokens used since the period's first day, API requests today (with those this node has not written yet) and the
    /// bytes of files kept: one round trip.
    /// </summary>
    public async Task<PeriodFigures> PeriodAsync(Guid organizationId, DateOnly periodStart, DateOnly today, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select coalesce(sum(tokens) filter (where type = 'text'), 0)::bigint, coalesce(sum(api_requests) filter (where day = $3), 0)::bigint, " +
            $"(select coalesce(max(bytes), 0) from {_storage} where organization_id = $1) " +
            $"from {_table} where organization_id = $1 and day between $2 and $3");
        command.Parameters.Add(new NpgsqlParameter { Value = organizationId });
        command.Parameters.Add(new NpgsqlParameter { Value = periodStart });
        command.Parameters.Add(new NpgsqlParameter { Value = today });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PeriodFigures(reader.GetInt64(0), reader.GetInt64(1) + unwritten.Unwritten(organizationId, today), reader.GetInt64(2));
    }

    /// <summary>The platform's cost view: generations, credits and USD cost by month and provider, across organizations, newest month first.</summary>
    public async Task<IReadOnlyList<ProviderMonth>> ProviderMonthsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            "select date_trunc('month', day)::date, provider, sum(jobs_completed), sum(credits_used), sum(cost_usd) " +
            $"from {_table} where day between $1 and $2 and provider <> '' " +
            "group by 1, 2 order by 1 desc, 5 desc, 2");
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<ProviderMonth>();
        while (await reader.ReadAsync(ct))
            rows.Add(new ProviderMonth(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4)));
        return rows;
    }

    /// <summary>What the platform made on <paramref name="credits"/> sold at <see cref="CreditPriceUsd"/> that cost it <paramref name="costUsd"/>.</summary>
    public static Margin MarginOf(long credits, decimal costUsd, decimal creditPriceUsd)
    {
        var revenue = credits * creditPriceUsd;
        return new Margin(revenue, revenue - costUsd, revenue == 0 ? null : Math.Round((revenue - costUsd) / revenue * 100, 2));
    }

    // Columns by name from a closed set, never from the request: nothing a client sends reaches the SQL text.
    private static string KeyOf(UsageGrouping groupBy) => groupBy switch
    {
        UsageGrouping.Day => "to_char(day, 'YYYY-MM-DD')",
        UsageGrouping.User => "user_id::text",
        UsageGrouping.ApiKey => $"nullif(api_key_id, '{UsageCounters.NoKey}')::text",
        UsageGrouping.Provider => "nullif(provider, '')",
        UsageGrouping.Model => "nullif(model, '')",
        _ => "nullif(type, '')",
    };
}

/// <summary>Credits at their price (<see cref="RevenueUsd"/>) less the cost; <see cref="MarginPercent"/> of the revenue, null when nothing was sold.</summary>
public sealed record Margin(decimal RevenueUsd, decimal MarginUsd, decimal? MarginPercent);
