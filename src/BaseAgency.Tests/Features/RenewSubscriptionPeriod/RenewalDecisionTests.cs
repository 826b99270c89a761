using BaseAgency.Features.RenewSubscriptionPeriod;
using BaseAgency.Plans;
using static BaseAgency.Features.RenewSubscriptionPeriod.RenewSubscriptionPeriodHandler;

namespace BaseAgency.Tests.Features.RenewSubscriptionPeriod;

public sealed class RenewalDecisionTests
{
    private static readonly DateTimeOffset End = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Subscription March = new(Guid.NewGuid(), PlanSlug.Starter, SubscriptionStatus.Active, End.AddMonths(-1), End);

    [Fact]
    public void A_period_renews_once_it_has_ended() => Decide(March, End, End.AddSeconds(1)).ShouldBe(Renewal.Due);

    [Fact]
    public void At_the_very_end_it_is_due() => Decide(March, End, End).ShouldBe(Renewal.Due);

    [Fact]
    public void Woken_before_the_end_it_waits() => Decide(March, End, End.AddMinutes(-1)).ShouldBe(Renewal.TooEarly);

    [Fact]
    public void A_message_for_another_period_end_finds_it_renewed_already() =>
        Decide(March.Next(), End, End.AddDays(3)).ShouldBe(Renewal.AlreadyDone);
}
