namespace BaseAgency.Plans;

/// <summary>
/// The part of a period an upgrade buys, as whole seconds (Stripe prorates by the second too), so the money
/// is computed with integers and never drifts.
/// </summary>
public sealed record PlanChangeQuote(string FromPlan, string ToPlan, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    long SecondsLeft, long PeriodSeconds)
{
    public PlanSlug To() => Enum.Parse<PlanSlug>(ToPlan, ignoreCase: true);
}

/// <summary>
/// Moving between plans. An upgrade within a paid period costs the difference in price and adds the difference in
/// credits, both in proportion to the time left, and applies once paid. One rounding rule, always in the customer's
/// favour: the price rounds down to the cent, the credits round up to the credit. A downgrade waits for the period's
/// end, so nothing already paid for is taken away. Enterprise is arranged with sales.
/// </summary>
public static class PlanChanges
{
    public enum Kind { Same, Upgrade, Downgrade, ContactSales }

    public static Kind Compare(Plan from, Plan to) =>
        to.Slug == PlanSlug.Enterprise && from.Slug != PlanSlug.Enterprise ? Kind.ContactSales
        : to.Slug == from.Slug ? Kind.Same
        : (to.PriceMonthlyCents, to.CreditsMonthly).CompareTo((from.PriceMonthlyCents, from.CreditsMonthly)) > 0 ? Kind.Upgrade
        : Kind.Downgrade;

    /// <summary>What a plan costs per period of the interval, in cents.</summary>
    public static long PriceCents(Plan plan, BillingInterval interval) =>
        interval == BillingInterval.Year ? plan.PriceYearlyCents : plan.PriceMonthlyCents;

    /// <summary>The credits a paid period of the interval grants (a year grants twelve months' at its start).</summary>
    public static int CreditsPerPeriod(Plan plan, BillingInterval interval) =>
        plan.CreditsMonthly * (interval == BillingInterval.Year ? 12 : 1);

    public static PlanChangeQuote Quote(Subscription subscription, Plan from, Plan to, DateTimeOffset now)
    {
        var period = Math.Max(0, (long)(subscription.CurrentPeriodEnd - subscription.CurrentPeriodStart).TotalSeconds);
        var left = Math.Clamp((long)(subscription.CurrentPeriodEnd - now).TotalSeconds, 0, period);
        return new PlanChangeQuote(from.Id, to.Id, subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd, left, period);
    }

    /// <summary>The price difference for the time left, rounded down to the cent: never over-charged.</summary>
    public static long PriceCents(Plan from, Plan to, BillingInterval interval, PlanChangeQuote quote) =>
        Share(Math.Max(0, PriceCents(to, interval) - PriceCents(from, interval)), quote, roundUp: false);

    /// <summary>The credit difference for the time left, rounded up to the credit: never short-changed.</summary>
    public static int ExtraCredits(Plan from, Plan to, BillingInterval interval, PlanChangeQuote quote) =>
        (int)Share(Math.Max(0, CreditsPerPeriod(to, interval) - CreditsPerPeriod(from, interval)), quote, roundUp: true);

    private static long Share(long whole, PlanChangeQuote quote, bool roundUp)
    {
        if (quote.PeriodSeconds == 0) return 0;
        var product = (Int128)whole * quote.SecondsLeft;
        var share = product / quote.PeriodSeconds;
        return (long)(roundUp && product % quote.PeriodSeconds != 0 ? share + 1 : share);
    }
}
