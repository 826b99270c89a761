using BaseAgency.Plans;

namespace BaseAgency.Tests.Plans;

public sealed class SubscriptionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 31, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void The_next_period_starts_where_this_one_ends_and_lasts_a_month()
    {
        var january = new Subscription(Guid.NewGuid(), PlanSlug.Starter, SubscriptionStatus.Active, Start, Start.AddMonths(1));

        var next = january.Next();

        next.Plan.ShouldBe(PlanSlug.Starter);
        next.CurrentPeriodStart.ShouldBe(january.CurrentPeriodEnd);
        next.CurrentPeriodEnd.ShouldBe(january.CurrentPeriodEnd.AddMonths(1));
        next.PendingPlan.ShouldBeNull();
    }

    [Fact]
    public void A_pending_downgrade_takes_effect_with_the_next_period()
    {
        var january = new Subscription(Guid.NewGuid(), PlanSlug.Professional, SubscriptionStatus.Active, Start, Start.AddMonths(1),
            PendingPlan: PlanSlug.Free);

        var next = january.Next();

        next.Plan.ShouldBe(PlanSlug.Free);
        next.PendingPlan.ShouldBeNull();
        next.CurrentPeriodStart.ShouldBe(january.CurrentPeriodEnd);
    }
}
