using BaseAgency.Billing;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BaseAgency.Usage;

/// <summary>
/// One group's totals. <see cref="Key"/> is the day (yyyy-MM-dd), the user or key id, the provider, model or type; null for
/// requests made without a key (by apiKey) or API requests, which have no provider, model or type.
/// </summary>
/// <param name="Units">What the plan's quotas count: images, videos, audio minutes.</param>
public sealed record UsageTotals(string? Key, long JobsSubmitted, long JobsCompleted, long JobsFailed, long JobsCanceled, long CreditsUsed,
    long Tokens, long Units, long ApiRequests, long ApiErrors, decimal CostUsd);

/// <summary>The usage a plan's period counts that plan documents do not: text tokens in the period, API requests today, storage.</summary>
public sealed record PeriodFigures(long TextTokens, long ApiRequestsToday, long StorageBytes);

/// <summary>The platform's cost and what it charged for one provider in one month, across organizations.</summary>
public sealed record ProviderMonth(DateOnly Month, string Provider, long Generations, long CreditsUsed, decimal CostUsd);

/// <summary>
/// Reads of <see cref="UsageCounters"/>. Each reads one dimension's rows for the days asked for (a range of the primary key), so its
/// cost follows days × distinct users, keys or models, never the number of generations.
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
    /// <param name="groupBy">By day: the <see cref="UsageDimension.All"/> rows, one a day; otherwise a row a month for whole months.</param>
    public async Task<IReadOnlyList<UsageTotals>> TotalsAsync(Guid organizationId, DateOnly from, DateOnly to, UsageDimension groupBy,
        Guid? onlyUser, CancellationToken ct)
    {
        // The group's key is a column or the day, never text from the request.
        var key = groupBy == UsageDimension.All ? "to_char(day, 'YYYY-MM-DD')" : "nullif(key, '')";
        await using var command = database.CreateCommand(
            $"select {key}, sum(jobs_submitted)::bigint, sum(jobs_completed)::bigint, sum(jobs_failed)::bigint, sum(jobs_canceled)::bigint, " +
            $"sum(credits_used)::bigint, sum(tokens)::bigint, sum(units)::bigint, sum(api_requests)::bigint, sum(api_errors)::bigint, sum(cost_usd) from {_table} " +
            $"where organization_id = $1 and user_scope = $2 and dimension = $3 and {UsageSpans.Sql} group by 1 order by 1 nulls last");
        command.Parameters.Add(new NpgsqlParameter { Value = organizationId });
        command.Parameters.Add(new NpgsqlParameter { Value = onlyUser ?? UsageCounters.Everyone });
        command.Parameters.Add(new NpgsqlParameter { Value = UsageCounters.NameOf(groupBy) });
        (groupBy == UsageDimension.All ? UsageSpans.DaysOnly(from, to) : UsageSpans.Split(from, to)).AddTo(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<UsageTotals>();
        while (await reader.ReadAsync(ct))
            rows.Add(new UsageTotals(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetDecimal(10)));
        return rows;
    }

    /// <summary>
    /// Text tokens used since the period's first day, API requests today (with those this node has not written yet) and the
    /// bytes of files kept: one round trip.
    /// </summary>
    public async Task<PeriodFigures> PeriodAsync(Guid organizationId, DateOnly periodStart, DateOnly today, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select (select coalesce(sum(tokens), 0)::bigint from {_table} where organization_id = $1 and user_scope = $2 and dimension = 'type' " +
            $"and key = 'text' and {UsageSpans.Sql}), " +
            $"(select coalesce(sum(api_requests), 0)::bigint from {_table} where organization_id = $1 and user_scope = $2 and dimension = 'all' " +
            "and span = 'day' and day = $3 and key = ''), " +
            $"(select coalesce(max(bytes), 0) from {_storage} where organization_id = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = organizationId });
        command.Parameters.Add(new NpgsqlParameter { Value = UsageCounters.Everyone });
        command.Parameters.Add(new NpgsqlParameter { Value = today });
        // A yearly plan's period is twelve months of rows a month, not 365 of rows a day.
        UsageSpans.Split(periodStart, today).AddTo(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new PeriodFigures(reader.GetInt64(0), reader.GetInt64(1) + unwritten.Unwritten(organizationId, today), reader.GetInt64(2));
    }

    /// <summary>
    /// The platform's cost view: generations, credits and USD cost by month and provider, across organizations, newest month first,
    /// for the whole months from <paramref name="from"/>'s to <paramref name="to"/>'s.
    /// </summary>
    public async Task<IReadOnlyList<ProviderMonth>> ProviderMonthsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            "select day, key, sum(jobs_completed)::bigint, sum(credits_used)::bigint, sum(cost_usd) " +
            $"from {_table} where dimension = 'provider' and span = 'month' and day between $1 and $2 and user_scope = $3 and key <> '' " +
            "group by 1, 2 order by 1 desc, 5 desc, 2");
        command.Parameters.Add(new NpgsqlParameter { Value = UsageCounters.MonthOf(from) });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = UsageCounters.Everyone });
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
}

/// <summary>Credits at their price (<see cref="RevenueUsd"/>) less the cost; <see cref="MarginPercent"/> of the revenue, null when nothing was sold.</summary>
public sealed record Margin(decimal RevenueUsd, decimal MarginUsd, decimal? MarginPercent);
