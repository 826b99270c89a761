using BaseAgency.Plans;

namespace BaseAgency.Tests.Plans;

/// <summary>The arithmetic of a plan change, on the seeded plans.</summary>
public sealed class PlanChangesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Subscription March = new(Guid.NewGuid(), PlanSlug.Free, SubscriptionStatus.Active, Start, Start.AddDays(30));

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
        var quote = PlanChanges.Quote(March, Seeded(PlanSlug.Free), Seeded(PlanSlug.Starter), Start.AddDays(15));

        quote.ShouldBe(new PlanChangeQuote("free", "starter", Start, Start.AddDays(30), 0.5));
        quote.To().ShouldBe(PlanSlug.Starter);
        PlanChanges.PriceCents(Seeded(PlanSlug.Free), Seeded(PlanSlug.Starter), quote).ShouldBe(2450);
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Free), Seeded(PlanSlug.Starter), quote).ShouldBe(225);
    }

    [Fact]
    public void The_share_of_the_period_stays_between_none_and_all()
    {
        PlanChanges.Quote(March, Seeded(PlanSlug.Free), Seeded(PlanSlug.Starter), Start.AddDays(-3)).ShareOfPeriod.ShouldBe(1);
        PlanChanges.Quote(March, Seeded(PlanSlug.Free), Seeded(PlanSlug.Starter), Start.AddDays(31)).ShareOfPeriod.ShouldBe(0);
        PlanChanges.Quote(March with { CurrentPeriodEnd = Start }, Seeded(PlanSlug.Free), Seeded(PlanSlug.Starter), Start)
            .ShareOfPeriod.ShouldBe(0);
    }

    [Fact]
    public void The_price_rounds_up_to_the_cent_and_the_credits_round_down()
    {
        var third = new PlanChangeQuote("starter", "professional", Start, Start.AddDays(30), 1.0 / 3);

        PlanChanges.PriceCents(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), third).ShouldBe(1667); // 5000 / 3 = 1666.67
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), third).ShouldBe(500); // 1500 / 3
        var seventh = third with { ShareOfPeriod = 1.0 / 7 };
        PlanChanges.PriceCents(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), seventh).ShouldBe(715); // 714.29
        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), Seeded(PlanSlug.Professional), seventh).ShouldBe(214); // 214.29
    }

    [Fact]
    public void A_plan_with_fewer_monthly_credits_adds_none()
    {
        var cheaperCredits = Seeded(PlanSlug.Business) with { CreditsMonthly = 100 };
        var quote = new PlanChangeQuote("starter", "business", Start, Start.AddDays(30), 0.5);

        PlanChanges.ExtraCredits(Seeded(PlanSlug.Starter), cheaperCredits, quote).ShouldBe(0);
    }
}
