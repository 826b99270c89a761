using BaseAgency.Features.EndGracePeriod;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Features.EndGracePeriod;

public sealed class GraceDecisionTests
{
    private static readonly DateTimeOffset Ends = new(2026, 3, 8, 0, 0, 0, TimeSpan.Zero);
    private static readonly Subscription PastDue =
        new(Guid.NewGuid(), PlanSlug.Starter, SubscriptionStatus.PastDue, Ends.AddDays(-7), Ends.AddDays(24), GraceEndsAt: Ends);

    [Fact]
    public void An_unpaid_subscription_falls_back_to_free_only_when_its_grace_is_over()
    {
        EndGracePeriodHandler.Decide(PastDue, Ends, Ends.AddSeconds(-1)).ShouldBe(GraceStep.WaitUntilEnd);
        EndGracePeriodHandler.Decide(PastDue, Ends, Ends).ShouldBe(GraceStep.FallBackToFree);
    }

    [Fact]
    public void A_paid_or_newer_grace_makes_the_message_stale()
    {
        EndGracePeriodHandler.Decide(PastDue with { Status = SubscriptionStatus.Active, GraceEndsAt = null }, Ends, Ends).ShouldBe(GraceStep.Nothing);
        EndGracePeriodHandler.Decide(PastDue with { GraceEndsAt = Ends.AddMonths(1) }, Ends, Ends).ShouldBe(GraceStep.Nothing);
    }
}
