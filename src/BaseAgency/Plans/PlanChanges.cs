using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Plans;

/// <summary>What moving to a bigger plan costs for the rest of the current period, and the credits it adds.</summary>
public sealed record PlanChangeQuote(string FromPlan, string ToPlan, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, double ShareOfPeriod)
{
    public PlanSlug To() => Enum.Parse<PlanSlug>(ToPlan, ignoreCase: true);
}

/// <summary>
/// Moving between plans. An upgrade takes effect when paid, for the rest of the current period: it costs
/// the difference in monthly price and adds the difference in monthly credits, both in proportion to the
/// time left, as plan credits that expire with the period. A downgrade waits for the period's end, so
/// nothing already paid for is taken away. Enterprise is arranged with sales.
/// </summary>
public static class PlanChanges
{
    public enum Kind { Same, Upgrade, Downgrade, ContactSales }

    public static Kind Compare(Plan from, Plan to) =>
        to.Slug == PlanSlug.Enterprise && from.Slug != PlanSlug.Enterprise ? Kind.ContactSales
        : to.Slug == from.Slug ? Kind.Same
        : (to.PriceMonthlyCents, to.CreditsMonthly).CompareTo((from.PriceMonthlyCents, from.CreditsMonthly)) > 0 ? Kind.Upgrade
        : Kind.Downgrade;

    public static PlanChangeQuote Quote(Subscription subscription, Plan from, Plan to, DateTimeOffset now)
    {
        var period = subscription.CurrentPeriodEnd - subscription.CurrentPeriodStart;
        var left = subscription.CurrentPeriodEnd - now;
        var share = period <= TimeSpan.Zero ? 0 : Math.Clamp(left / period, 0, 1);
        return new PlanChangeQuote(from.Id, to.Id, subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd, share);
    }

    /// <summary>Rounded up to the cent, so a charge is never below the difference.</summary>
    public static long PriceCents(Plan from, Plan to, PlanChangeQuote quote) =>
        (long)Math.Ceiling((to.PriceMonthlyCents - from.PriceMonthlyCents) * quote.ShareOfPeriod);

    /// <summary>Rounded down, so the credits added never exceed what was paid for.</summary>
    public static int ExtraCredits(Plan from, Plan to, PlanChangeQuote quote) =>
        Math.Max(0, (int)Math.Floor((to.CreditsMonthly - from.CreditsMonthly) * quote.ShareOfPeriod));

    /// <summary>Switches the plan now and grants the extra credits once (keyed by <paramref name="reference"/>).</summary>
    public static async Task<LedgerRejection?> ApplyUpgradeAsync(IDocumentSession session, CreditLedger ledger, Guid organizationId,
        PlanChangeQuote quote, int extraCredits, string reference, CancellationToken ct)
    {
        var (subscription, _) = await session.CurrentPlanAsync(organizationId, ct);
        session.Store(subscription with { Plan = quote.To(), PendingPlan = null });
        if (extraCredits <= 0) return null;
        // The period may have renewed while the payment was on its way: the credits belong to the current one.
        return await ledger.GrantAsync(session, organizationId, BucketKind.Plan, extraCredits, subscription.CurrentPeriodEnd,
            $"Upgrade to {quote.ToPlan} for the rest of the period", reference, ct);
    }
}
