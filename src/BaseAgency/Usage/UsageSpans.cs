using Npgsql;

namespace BaseAgency.Usage;

/// <summary>
/// A range of days as the rows that cover it: the whole months inside it by their month rows, the days before and after them by
/// their day rows. So a year's report reads about twelve rows per key and never a day twice. An empty part is (max, min).
/// </summary>
public sealed record UsageSpans(DateOnly HeadFrom, DateOnly HeadTo, DateOnly MonthsFrom, DateOnly MonthsTo, DateOnly TailFrom, DateOnly TailTo)
{
    /// <summary>The condition on a query's rows; its parameters ($4 to $9) are added by <see cref="AddTo"/>.</summary>
    public const string Sql =
        "((span = 'day' and (day between $4 and $5 or day between $8 and $9)) or (span = 'month' and day between $6 and $7))";

    private static readonly (DateOnly, DateOnly) None = (DateOnly.MaxValue, DateOnly.MinValue);

    /// <summary>Every day by its own row (a report by day).</summary>
    public static UsageSpans DaysOnly(DateOnly from, DateOnly to) => new(from, to, None.Item1, None.Item2, None.Item1, None.Item2);

    public static UsageSpans Split(DateOnly from, DateOnly to)
    {
        // The first day of the first whole month, and the last day of the last one, where the calendar has them.
        DateOnly? firstWhole = from.Day == 1 ? from : from is { Year: 9999, Month: 12 } ? null : UsageCounters.MonthOf(from).AddMonths(1);
        DateOnly? lastWhole = to == DateOnly.MaxValue || to.AddDays(1).Day == 1 ? to : to is { Year: 1, Month: 1 } ? null : UsageCounters.MonthOf(to).AddDays(-1);
        if (firstWhole is not { } first || lastWhole is not { } last || first > last) return DaysOnly(from, to);
        return new(
            from < first ? from : None.Item1, from < first ? first.AddDays(-1) : None.Item2,
            first, UsageCounters.MonthOf(last),
            last < to ? last.AddDays(1) : None.Item1, last < to ? to : None.Item2);
    }

    public void AddTo(NpgsqlParameterCollection parameters)
    {
        foreach (var day in new[] { HeadFrom, HeadTo, MonthsFrom, MonthsTo, TailFrom, TailTo })
            parameters.Add(new NpgsqlParameter { Value = day });
    }
}
