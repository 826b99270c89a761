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

    private static PlanChangeDecision Decide(Subscription subscription, PlanSlug to, BillingInterval? interval = null, DateTimeOffset? now = null) =>
        ChangePlanHandler.Decide(subscription, Seeded(subscription.Plan), Seeded(to), interval, MinimumChargeCents, now ?? Halfway);

    private static PlanChangeDecision Decide(PlanSlug from, PlanSlug to, DateTimeOffset? now = null) => Decide(On(from), to, now: now);

    private static string CodeOf(PlanChangeDecision decision) =>
        decision.ShouldBeOfType<PlanChangeDecision.Refused>().Problem.ProblemDetails.Extensions["code"].ShouldBeOfType<string>();

    [Fact]
    public void A_first_paid_plan_is_a_new_period_paid_in_full()
    {
        var subscribe = Decide(PlanSlug.Free, PlanSlug.Starter).ShouldBeOfType<PlanChangeDecision.Subscribe>();
        subscribe.ShouldBe(new PlanChangeDecision.Subscribe(PlanSlug.Starter, BillingInterval.Month, 4900, 500));

        Decide(On(PlanSlug.Free), PlanSlug.Professional, BillingInterval.Year).ShouldBe(
            new PlanChangeDecision.Subscribe(PlanSlug.Professional, BillingInterval.Year, 95000, 24000));
    }

    [Fact]
    public void An_upgrade_between_paid_plans_is_charged_for_the_rest_of_the_period()
    {
        var upgrade = Decide(PlanSlug.Starter, PlanSlug.Professional).ShouldBeOfType<PlanChangeDecision.Upgrade>();

        upgrade.PriceCents.ShouldBe(2500); // ($99 − $49) × ½
        upgrade.ExtraCredits.ShouldBe(750); // (2000 − 500) × ½
        upgrade.Quote.To().ShouldBe(PlanSlug.Professional);
    }

    [Fact]
    public void An_upgrade_too_cheap_to_charge_waits_for_the_next_period_and_its_invoice()
    {
        var lastMinutes = Start.AddDays(30).AddMinutes(-10); // $50 × 10 minutes of 30 days ≈ 1 cent
        Decide(PlanSlug.Starter, PlanSlug.Professional, lastMinutes)
            .ShouldBe(new PlanChangeDecision.AtPeriodEnd(PlanSlug.Professional, BillingInterval.Month));
    }

    [Fact]
    public void A_downgrade_or_another_interval_waits_for_the_period_end()
    {
        Decide(PlanSlug.Professional, PlanSlug.Starter).ShouldBe(new PlanChangeDecision.AtPeriodEnd(PlanSlug.Starter, BillingInterval.Month));
        Decide(PlanSlug.Starter, PlanSlug.Free).ShouldBe(new PlanChangeDecision.AtPeriodEnd(PlanSlug.Free, BillingInterval.Month));
        Decide(On(PlanSlug.Starter), PlanSlug.Starter, BillingInterval.Year)
            .ShouldBe(new PlanChangeDecision.AtPeriodEnd(PlanSlug.Starter, BillingInterval.Year));
    }

    [Fact]
    public void Asking_for_the_current_plan_takes_back_a_scheduled_change()
    {
        Decide(On(PlanSlug.Professional, pending: PlanSlug.Starter), PlanSlug.Professional)
            .ShouldBeOfType<PlanChangeDecision.TakeBackScheduledChange>();
        Decide(On(PlanSlug.Professional) with { CancelAtPeriodEnd = true }, PlanSlug.Professional)
            .ShouldBeOfType<PlanChangeDecision.TakeBackScheduledChange>();
    }

    [Fact]
    public void Asking_for_the_current_plan_without_a_pending_change_is_refused() =>
        CodeOf(Decide(PlanSlug.Starter, PlanSlug.Starter)).ShouldBe("already_on_plan");

    [Fact]
    public void Enterprise_is_arranged_with_sales() => CodeOf(Decide(PlanSlug.Business, PlanSlug.Enterprise)).ShouldBe("contact_sales");

    [Fact]
    public void One_change_at_a_time_waits_for_payment()
    {
        var waiting = On(PlanSlug.Starter) with
        {
            PendingChange = new PendingPlanChange(Guid.NewGuid(), PlanSlug.Business, BillingInterval.Month, "manual:x", Start, Halfway.AddHours(1)),
        };
        CodeOf(Decide(waiting, PlanSlug.Business)).ShouldBe("plan_change_pending");
        CodeOf(Decide(waiting, PlanSlug.Free)).ShouldBe("plan_change_pending");
        // Once it has expired unpaid, another may be asked for.
        Decide(waiting, PlanSlug.Business, now: Halfway.AddHours(2)).ShouldBeOfType<PlanChangeDecision.Upgrade>();
    }

    [Fact]
    public void No_upgrade_while_a_period_is_unpaid() =>
        CodeOf(Decide(On(PlanSlug.Starter) with { Status = SubscriptionStatus.PastDue }, PlanSlug.Business)).ShouldBe("subscription_past_due");

    [Fact]
    public void A_plan_that_is_not_offered_is_refused()
    {
        var retired = Seeded(PlanSlug.Business) with { IsActive = false };

        CodeOf(ChangePlanHandler.Decide(On(PlanSlug.Starter), Seeded(PlanSlug.Starter), retired, null, MinimumChargeCents, Halfway))
            .ShouldBe("unknown_plan");
        CodeOf(ChangePlanHandler.Decide(On(PlanSlug.Starter), Seeded(PlanSlug.Starter), null, null, MinimumChargeCents, Halfway))
            .ShouldBe("unknown_plan");
    }
}
