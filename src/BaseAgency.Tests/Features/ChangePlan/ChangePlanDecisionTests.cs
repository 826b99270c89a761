using BaseAgency.Features.ChangePlan;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Features.ChangePlan;

/// <summary><see cref="ChangePlanHandler.Decide"/>: what asking for a plan leads to, from plain values.</summary>
public sealed class ChangePlanDecisionTests
{
    private const long MinimumChargeCents = 50;
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Halfway = Start.AddDays(15);

    private static Plan Seeded(PlanSlug slug) => SeedPlans.Plans.Single(p => p.Slug == slug);

    private static Subscription On(PlanSlug plan, PlanSlug? pending = null) =>
        new(Guid.NewGuid(), plan, SubscriptionStatus.Active, Start, Start.AddDays(30), pending);

    private static PlanChangeDecision Decide(PlanSlug from, PlanSlug to, PlanSlug? pending = null, bool upgradeWaiting = false,
        DateTimeOffset? now = null) =>
        ChangePlanHandler.Decide(On(from, pending), Seeded(from), Seeded(to), upgradeWaiting, MinimumChargeCents, now ?? Halfway);

    private static string CodeOf(PlanChangeDecision decision) =>
        decision.ShouldBeOfType<PlanChangeDecision.Refused>().Problem.ProblemDetails.Extensions["code"].ShouldBeOfType<string>();

    [Fact]
    public void An_upgrade_is_charged_for_the_rest_of_the_period()
    {
        var upgrade = Decide(PlanSlug.Free, PlanSlug.Starter).ShouldBeOfType<PlanChangeDecision.UpgradeWhenPaid>();

        upgrade.PriceCents.ShouldBe(2450);
        upgrade.ExtraCredits.ShouldBe(225);
        upgrade.Quote.To().ShouldBe(PlanSlug.Starter);
    }

    [Fact]
    public void An_upgrade_too_cheap_to_charge_applies_at_once()
    {
        var lastMinutes = Start.AddDays(30).AddMinutes(-10); // $49 × 10 minutes of 30 days ≈ 1 cent
        var upgrade = Decide(PlanSlug.Free, PlanSlug.Starter, now: lastMinutes).ShouldBeOfType<PlanChangeDecision.UpgradeNow>();

        upgrade.ExtraCredits.ShouldBe(0);
        upgrade.Quote.To().ShouldBe(PlanSlug.Starter);
    }

    [Fact]
    public void A_downgrade_is_scheduled() =>
        Decide(PlanSlug.Professional, PlanSlug.Starter).ShouldBeOfType<PlanChangeDecision.ScheduleDowngrade>().To.ShouldBe(PlanSlug.Starter);

    [Fact]
    public void Asking_for_the_current_plan_cancels_a_scheduled_downgrade() =>
        Decide(PlanSlug.Professional, PlanSlug.Professional, pending: PlanSlug.Starter).ShouldBeOfType<PlanChangeDecision.CancelPendingDowngrade>();

    [Fact]
    public void Asking_for_the_current_plan_without_a_pending_change_is_refused() =>
        CodeOf(Decide(PlanSlug.Starter, PlanSlug.Starter)).ShouldBe("already_on_plan");

    [Fact]
    public void Enterprise_is_arranged_with_sales() => CodeOf(Decide(PlanSlug.Business, PlanSlug.Enterprise)).ShouldBe("contact_sales");

    [Fact]
    public void One_upgrade_at_a_time_waits_for_payment()
    {
        CodeOf(Decide(PlanSlug.Starter, PlanSlug.Business, upgradeWaiting: true)).ShouldBe("plan_change_pending");
        // A downgrade may be scheduled meanwhile.
        Decide(PlanSlug.Starter, PlanSlug.Free, upgradeWaiting: true).ShouldBeOfType<PlanChangeDecision.ScheduleDowngrade>();
    }

    [Fact]
    public void A_plan_that_is_not_offered_is_refused()
    {
        var retired = Seeded(PlanSlug.Business) with { IsActive = false };

        CodeOf(ChangePlanHandler.Decide(On(PlanSlug.Starter), Seeded(PlanSlug.Starter), retired, false, MinimumChargeCents, Halfway))
            .ShouldBe("unknown_plan");
        CodeOf(ChangePlanHandler.Decide(On(PlanSlug.Starter), Seeded(PlanSlug.Starter), null, false, MinimumChargeCents, Halfway))
            .ShouldBe("unknown_plan");
    }
}
