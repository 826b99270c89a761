using BaseAgency.Http;
using BaseAgency.Usage;

namespace BaseAgency.Features.GetPlatformCosts;

public static class GetPlatformCostsHandler
{
    /// <summary>Ten years at most: the view sums months, and a range is a mistake long before it is a load.</summary>
    public const int MaxDays = 3660;

    public static async Task<Outcome<PlatformCosts>> Handle(GetPlatformCosts query, UsageReports reports, TimeProvider clock, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var to = query.To ?? today;
        var from = query.From ?? (to.Year > 1 ? new DateOnly(to.Year, to.Month, 1).AddMonths(-11) : DateOnly.MinValue);
        if (from > to) return Problems.Of(400, "invalid_range", "The range is backwards.", "from must not be after to.");
        if (to.DayNumber - from.DayNumber >= MaxDays)
            return Problems.Of(400, "invalid_range", "The range is too long.", $"The view covers at most {MaxDays} days.", ("maxDays", MaxDays));

        var price = reports.CreditPriceUsd;
        var months = await reports.ProviderMonthsAsync(from, to, ct);
        return new PlatformCosts(from, to, price, months.Select(m =>
        {
            var margin = UsageReports.MarginOf(m.CreditsUsed, m.CostUsd, price);
            return new ProviderMonthCost(m.Month, m.Provider, m.Generations, m.CreditsUsed, m.CostUsd, margin.RevenueUsd, margin.MarginUsd,
                margin.MarginPercent);
        }).ToList());
    }
}
