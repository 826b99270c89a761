using System.Numerics;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Plans;

/// <summary>The arithmetic of a plan change, on the seeded plans: integers only, rounded in the customer's favour.</summary>
public sealed class PlanChangesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Subscription March = new(Guid.NewGuid(), PlanSlug.Starter, SubscriptionStatus.Active, Start, Start.AddDays(30));
    private const long ThirtyDays = 30 * 86_400;

    private static Plan Seeded(PlanSlug slug) => SeedPlans.Plans.Single(p => p.Slug == slug);

    [Theory]
    [InlineData(PlanSlug.Free, PlanSlug.Starter, PlanChanges.Kind.Upgrade)]
    [InlineData(PlanSlug.Starter, PlanSlug.Business, PlanChanges.Kind.Upgrade)]
    [InlineData(PlanSlug.Business, PlanSlug.Free, PlanChanges.Kind.Downgrade)]
    [InlineData(PlanSlug.Starter, PlanSlug.Starter, PlanChanges.Kind.Same)]
    [InlineData(PlanSlug.Business, PlanSlug.Enterprise, PlanChanges.Kind.ContactSales)]
    [InlineData(PlanSlug.Enterprise, PlanSlug.Enterprise, PlanChanges.Kind.Same)]
    public void Plans_compare_by_monthly_price_then_credits(PlanSlug from, PlanSlug to, PlanChanges.Kind expected) =>
        PlanChanges.Compare(Seeded(from), Seeded(to)).ShouldBe(expected);

    [Fact]
    public void Half_a_period_left_costs_and_adds_half_the_difference()
    {
        var quote = PlanChanges.Quote(March, Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), Start.AddDays(15));

        quote.ShouldBe(new PlanChangeQuote("starter", "professional", Start, Start.AddDays(30), ThirtyDays / 2, ThirtyDays));
        quote.To().ShouldBe(PlanSlug.Professional);
        PlanChanges.PriceCents(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Month, quote).ShouldBe(2500);
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Month, quote).ShouldBe(750);
    }

    [Fact]
    public void The_time_left_stays_between_none_and_all()
    {
        PlanChanges.Quote(March, Seeded(PlanSlug.Starter), Seeded(PlanSlug.Business), Start.AddDays(-3)).SecondsLeft.ShouldBe(ThirtyDays);
        PlanChanges.Quote(March, Seeded(PlanSlug.Starter), Seeded(PlanSlug.Business), Start.AddDays(31)).SecondsLeft.ShouldBe(0);
        var empty = PlanChanges.Quote(March with { CurrentPeriodEnd = Start }, Seeded(PlanSlug.Starter), Seeded(PlanSlug.Business), Start);
        PlanChanges.PriceCents(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Business), BillingInterval.Month, empty).ShouldBe(0);
    }

    [Fact]
    public void The_price_rounds_down_to_the_cent_and_the_credits_round_up()
    {
        // The measured defects: 0.07 × 5000 was charged 351 cents, 0.29 × 1500 gave 434 credits.
        var seven = new PlanChangeQuote("starter", "professional", Start, Start.AddDays(100), 7, 100);
        PlanChanges.PriceCents(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Month, seven).ShouldBe(350);
        var twentyNine = seven with { SecondsLeft = 29 };
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Month, twentyNine).ShouldBe(435);

        var third = seven with { SecondsLeft = 1, PeriodSeconds = 3 };
        PlanChanges.PriceCents(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Month, third).ShouldBe(1666); // 1666.67
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Month, third).ShouldBe(500);
    }

    [Fact]
    public void A_plan_with_fewer_credits_adds_none_and_a_year_counts_twelve_months()
    {
        var cheaperCredits = Seeded(PlanSlug.Business) with { CreditsMonthly = 100 };
        var half = new PlanChangeQuote("starter", "business", Start, Start.AddDays(30), 1, 2);
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), cheaperCredits, BillingInterval.Month, half).ShouldBe(0);

        PlanChanges.PriceCents(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Year, half).ShouldBe((95000 - 47000) / 2);
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), BillingInterval.Year, half).ShouldBe(1500 * 12 / 2);
    }

    /// <summary>
    /// Over random periods, moments and prices: the charge is the exact rational share rounded down, the credits the exact
    /// share rounded up, both within [0, whole], both monotone in the time left, and a whole period costs the whole difference.
    /// </summary>
    [Fact]
    public void Proration_is_exact_over_random_periods_dates_and_prices()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 20_000; i++)
        {
            var start = Start.AddSeconds(random.NextInt64(0, 10L * 365 * 86_400));
            var interval = random.Next(2) == 0 ? BillingInterval.Month : BillingInterval.Year;
            var subscription = March with { CurrentPeriodStart = start, CurrentPeriodEnd = Subscription.PeriodEnd(start, interval), Interval = interval };
            var smaller = Seeded(PlanSlug.Starter) with { PriceMonthlyCents = random.Next(0, 100_000), PriceYearlyCents = random.Next(0, 1_000_000),
                CreditsMonthly = random.Next(0, 50_000) };
            var bigger = smaller with { PriceMonthlyCents = smaller.PriceMonthlyCents + random.Next(0, 1_000_000),
                PriceYearlyCents = smaller.PriceYearlyCents + random.Next(0, 10_000_000), CreditsMonthly = smaller.CreditsMonthly + random.Next(0, 500_000) };
            var period = (long)(subscription.CurrentPeriodEnd - start).TotalSeconds;
            var now = start.AddSeconds(random.NextInt64(-86_400, period + 86_400));

            var quote = PlanChanges.Quote(subscription, smaller, bigger, now);
            var cents = PlanChanges.PriceCents(smaller, bigger, interval, quote);
            var credits = PlanChanges.ExtraCredits(smaller, bigger, interval, quote);

            var wholeCents = PlanChanges.PriceCents(bigger, interval) - PlanChanges.PriceCents(smaller, interval);
            var wholeCredits = PlanChanges.CreditsPerPeriod(bigger, interval) - PlanChanges.CreditsPerPeriod(smaller, interval);
            var left = Math.Clamp((long)(subscription.CurrentPeriodEnd - now).TotalSeconds, 0, period);
            quote.SecondsLeft.ShouldBe(left);
            ((BigInteger)cents).ShouldBe(BigInteger.Divide((BigInteger)wholeCents * left, period));
            var exact = (BigInteger)wholeCredits * left;
            ((BigInteger)credits).ShouldBe(BigInteger.Divide(exact + period - 1, period));
            cents.ShouldBeInRange(0, wholeCents);
            credits.ShouldBeInRange(0, wholeCredits);
            if (left == period) (cents, credits).ShouldBe((wholeCents, wholeCredits));

            var later = PlanChanges.Quote(subscription, smaller, bigger, now.AddSeconds(random.Next(1, 86_400)));
            PlanChanges.PriceCents(smaller, bigger, interval, later).ShouldBeLessThanOrEqualTo(cents);
            PlanChanges.ExtraCredits(smaller, bigger, interval, later).ShouldBeLessThanOrEqualTo(credits);
        }
    }
}
