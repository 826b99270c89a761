using BaseAgency.Billing;

namespace BaseAgency.Tests.Features.TopUpCredits;

/// <summary><see cref="AutoTopUp.IsDue"/> and <see cref="AutoTopUpView.Of"/>, from plain values.</summary>
public sealed class AutoTopUpRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static AutoTopUp Settings(bool enabled = true, TopUpAttempt? last = null) =>
        new(Guid.NewGuid(), enabled, 100, "credits-500", Guid.NewGuid(), Now.AddDays(-1), last);

    private static Purchase PurchaseIn(PurchaseStatus status) =>
        new(Guid.NewGuid(), Guid.NewGuid(), PurchaseKind.Credits, "credits-500", "Auto top-up: 500 credits", 500, 4500, "USD", status,
            "stripe", Guid.NewGuid(), Now, Now.AddHours(1));

    [Theory]
    [InlineData(99, true)]
    [InlineData(0, true)]
    [InlineData(100, false)] // at the threshold is not below it
    [InlineData(5000, false)]
    public void A_top_up_is_due_below_the_threshold(int available, bool due) =>
        Settings().IsDue(available, Now, Hour).ShouldBe(due);

    [Fact]
    public void A_disabled_top_up_is_never_due() => Settings(enabled: false).IsDue(0, Now, Hour).ShouldBeFalse();

    [Fact]
    public void One_attempt_per_interval_whatever_became_of_it()
    {
        Settings(last: new(Now.AddMinutes(-59), Guid.NewGuid())).IsDue(0, Now, Hour).ShouldBeFalse();
        Settings(last: new(Now.AddMinutes(-59), Guid.NewGuid(), "card_declined", "Your card was declined.")).IsDue(0, Now, Hour).ShouldBeFalse();
        Settings(last: new(Now.AddMinutes(-60), Guid.NewGuid())).IsDue(0, Now, Hour).ShouldBeTrue();
    }

    [Fact]
    public void The_last_attempt_shows_its_purchase_state()
    {
        var last = new TopUpAttempt(Now, Guid.NewGuid());
        AutoTopUpView.Of(Settings(last: last), PurchaseIn(PurchaseStatus.Pending)).LastAttempt!.Result.ShouldBe(TopUpResult.Pending);
        AutoTopUpView.Of(Settings(last: last), PurchaseIn(PurchaseStatus.Paid)).LastAttempt!.Result.ShouldBe(TopUpResult.Succeeded);
        AutoTopUpView.Of(Settings(last: last), PurchaseIn(PurchaseStatus.Expired)).LastAttempt!.Result.ShouldBe(TopUpResult.Expired);

        var failedLater = AutoTopUpView.Of(Settings(last: last), PurchaseIn(PurchaseStatus.Failed)).LastAttempt!;
        failedLater.Result.ShouldBe(TopUpResult.Failed);
        failedLater.FailureCode.ShouldBe("payment_failed"); // reported by the provider's webhook, without a code of ours
    }

    [Fact]
    public void A_refusal_shows_its_code_unless_the_money_arrived_after_all()
    {
        var declined = new TopUpAttempt(Now, Guid.NewGuid(), "payment_provider_unavailable", "The payment provider could not be reached.");

        var failed = AutoTopUpView.Of(Settings(last: declined), PurchaseIn(PurchaseStatus.Failed)).LastAttempt!;
        failed.Result.ShouldBe(TopUpResult.Failed);
        failed.FailureCode.ShouldBe("payment_provider_unavailable");
        var paidAfterAll = AutoTopUpView.Of(Settings(last: declined), PurchaseIn(PurchaseStatus.Paid)).LastAttempt!;
        paidAfterAll.Result.ShouldBe(TopUpResult.Succeeded);
        paidAfterAll.FailureCode.ShouldBeNull();
    }

    [Fact]
    public void Without_settings_auto_top_up_is_off()
    {
        var view = AutoTopUpView.Of(null, null);
        view.Enabled.ShouldBeFalse();
        view.ThresholdCredits.ShouldBeNull();
        view.LastAttempt.ShouldBeNull();
    }
}
