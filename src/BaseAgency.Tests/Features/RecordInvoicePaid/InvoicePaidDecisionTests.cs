using BaseAgency.Billing;
using BaseAgency.Features.RecordInvoicePaid;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Features.RecordInvoicePaid;

/// <summary><see cref="RecordInvoicePaidHandler.Decide"/>: what a paid invoice does, from plain values.</summary>
public sealed class InvoicePaidDecisionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Start.AddDays(10);
    private static readonly Subscription OnStarter =
        new(Guid.NewGuid(), PlanSlug.Starter, SubscriptionStatus.Active, Start, Start.AddMonths(1), ProviderSubscriptionId: "sub_1");

    private static Plan Seeded(PlanSlug slug) => SeedPlans.Plans.Single(p => p.Slug == slug);

    private static InvoiceFacts Cycle(DateTimeOffset start, PlanSlug plan = PlanSlug.Starter) =>
        new("in_1", InvoiceReason.SubscriptionCycle, plan, BillingInterval.Month, start, start.AddMonths(1), 4900, "usd", null, "sub_1", "cus_1");

    private static InvoicePaidDecision Decide(Subscription subscription, InvoiceFacts facts, Invoice? recorded = null, DateTimeOffset? now = null) =>
        RecordInvoicePaidHandler.Decide(subscription, recorded, facts, Seeded(facts.Plan), Seeded(subscription.Plan), now ?? Now);

    [Fact]
    public void A_next_period_paid_starts_it_with_its_credits()
    {
        var next = Start.AddMonths(1);
        var start = Decide(OnStarter, Cycle(next), now: next.AddMinutes(1)).ShouldBeOfType<InvoicePaidDecision.StartPeriod>();

        (start.Next.CurrentPeriodStart, start.Next.CurrentPeriodEnd, start.Credits).ShouldBe((next, next.AddMonths(1), 500));
        start.Next.ProviderCustomerId.ShouldBe("cus_1");
    }

    [Fact]
    public void A_period_that_began_unpaid_is_paid_with_its_credits_and_the_plan_it_was_to_bring()
    {
        var unpaid = OnStarter with { Status = SubscriptionStatus.PastDue, GraceEndsAt = Now.AddDays(7) };
        var pay = Decide(unpaid, Cycle(Start, PlanSlug.Business)).ShouldBeOfType<InvoicePaidDecision.PayCurrentPeriod>();

        (pay.Paid.Plan, pay.Paid.Status, pay.Paid.GraceEndsAt, pay.Credits).ShouldBe((PlanSlug.Business, SubscriptionStatus.Active, null, 10_000));
    }

    [Fact]
    public void A_new_subscriptions_first_invoice_starts_its_period_even_in_the_second_the_free_one_began()
    {
        var free = OnStarter with { Plan = PlanSlug.Free, ProviderSubscriptionId = null, CurrentPeriodStart = Now };
        var first = Cycle(Now.AddMilliseconds(-300)) with { Reason = InvoiceReason.SubscriptionCreate, ProviderSubscriptionId = "sub_new" };

        var start = RecordInvoicePaidHandler.Decide(free, null, first, Seeded(PlanSlug.Starter), Seeded(PlanSlug.Free), Now)
            .ShouldBeOfType<InvoicePaidDecision.StartPeriod>();
        (start.Next.Plan, start.Next.ProviderSubscriptionId, start.Credits).ShouldBe((PlanSlug.Starter, "sub_new", 500));
    }

    [Fact]
    public void A_repeat_a_late_invoice_and_an_upgrade_already_made_grant_nothing()
    {
        var recorded = new Invoice(Guid.NewGuid(), OnStarter.Id, Cycle(Start), InvoiceStatus.Paid, "stripe", Start);
        Decide(OnStarter, Cycle(Start), recorded).ShouldBeOfType<InvoicePaidDecision.AlreadyRecorded>();
        Decide(OnStarter, Cycle(Start.AddMonths(-1))).ShouldBeOfType<InvoicePaidDecision.RecordOnly>();
        var sameUpgrade = Cycle(Now) with { Reason = InvoiceReason.SubscriptionUpdate, Plan = PlanSlug.Starter };
        Decide(OnStarter, sameUpgrade).ShouldBeOfType<InvoicePaidDecision.RecordOnly>();
    }

    [Fact]
    public void An_upgrade_paid_through_the_provider_adds_the_credits_for_the_time_left_rounded_up()
    {
        var proration = Cycle(Start.AddDays(15.5)) with
        {
            Reason = InvoiceReason.SubscriptionUpdate, Plan = PlanSlug.Professional, PeriodEnd = OnStarter.CurrentPeriodEnd,
        };
        var upgrade = Decide(OnStarter, proration, now: Start.AddDays(15.5)).ShouldBeOfType<InvoicePaidDecision.ApplyUpgrade>();

        upgrade.Upgraded.Plan.ShouldBe(PlanSlug.Professional);
        upgrade.ExtraCredits.ShouldBe(750); // (2000 − 500) × 15.5 of 31 days
        // Paid only after the period it was priced for renewed: it buys nothing more.
        var renewed = OnStarter with { CurrentPeriodStart = OnStarter.CurrentPeriodEnd, CurrentPeriodEnd = OnStarter.CurrentPeriodEnd.AddMonths(1) };
        Decide(renewed, proration, now: OnStarter.CurrentPeriodEnd.AddDays(1)).ShouldBeOfType<InvoicePaidDecision.RecordOnly>();
    }
}
