using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Usage;

namespace BaseAgency.Features.ListUsage;

public static class ListUsageHandler
{
    public static async Task<Outcome<UsageReport>> Handle(ListUsage query, UsageReports reports, TimeProvider clock, CancellationToken ct)
    {
        var range = RangeOf(query.From, query.To, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (range.Problem is { } problem) return problem;

        var (from, to) = range.Value;
        var ownOnly = OwnOnly(query.Caller.Role);
        var totals = await reports.TotalsAsync(query.Caller.OrganizationId, from, to, query.GroupBy, ownOnly ? query.Caller.UserId : null, ct);
        return Report(from, to, query.GroupBy, ownOnly, totals, query.Caller.Role == Role.SuperAdmin ? reports.CreditPriceUsd : null);
    }

    /// <summary>
    /// The days asked for, inclusive: by default the 30 days up to today; from after to, or more than
    /// <see cref="ListUsageRequest.MaxDays"/> days, is a 400.
    /// </summary>
    public static Outcome<(DateOnly From, DateOnly To)> RangeOf(DateOnly? from, DateOnly? to, DateOnly today)
    {
        var last = to ?? (from is { } start && start > today ? start : today);
        var first = from ?? DateOnly.FromDayNumber(Math.Max(0, last.DayNumber - 29));
        if (first > last) return Problems.Of(400, "invalid_range", "The range is backwards.", "from must not be after to.");
        if (last.DayNumber - first.DayNumber >= ListUsageRequest.MaxDays)
            return Problems.Of(400, "invalid_range", "The range is too long.", $"A report covers at most {ListUsageRequest.MaxDays} days.",
                ("maxDays", ListUsageRequest.MaxDays));
        return (first, last);
    }

    /// <summary>Admins (and platform operators) see every member's usage; managers, members and viewers their own.</summary>
    public static bool OwnOnly(Role role) => role < Role.Admin;

    /// <param name="creditPriceUsd">The credit's price when the caller may see costs (a platform operator); null otherwise.</param>
    public static UsageReport Report(DateOnly from, DateOnly to, UsageDimension groupBy, bool ownOnly, IReadOnlyList<UsageTotals> totals,
        decimal? creditPriceUsd) =>
        new(from, to, ListUsageRequest.Groupings.First(g => g.Value == groupBy).Key, ownOnly, totals.Select(t =>
        {
            var row = new UsageRow(t.Key, t.JobsSubmitted, t.JobsCompleted, t.JobsFailed, t.JobsCanceled, t.CreditsUsed, t.Tokens, t.Units, t.ApiRequests,
                t.ApiErrors);
            if (creditPriceUsd is not { } price) return row;
            var margin = UsageReports.MarginOf(t.CreditsUsed, t.CostUsd, price);
            return row with { CostUsd = t.CostUsd, RevenueUsd = margin.RevenueUsd, MarginUsd = margin.MarginUsd, MarginPercent = margin.MarginPercent };
        }).ToList());
}
