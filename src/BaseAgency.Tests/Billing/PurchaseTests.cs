using BaseAgency.Billing;

namespace BaseAgency.Tests.Billing;

/// <summary>How a purchase settles: <see cref="Purchase.After"/>, a function of its state and the reported outcome.</summary>
public sealed class PurchaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static Purchase With(PurchaseStatus status) =>
        new(Guid.NewGuid(), Guid.NewGuid(), PurchaseKind.Credits, "credits-100", "100 credits", 100, 1000, "USD", status, "manual",
            Guid.NewGuid(), Now.AddHours(-2), Now.AddHours(-1), CheckoutUrl: "/pay");

    [Theory]
    [InlineData(PaymentOutcome.Paid, PurchaseStatus.Paid)]
    [InlineData(PaymentOutcome.Failed, PurchaseStatus.Failed)]
    [InlineData(PaymentOutcome.Expired, PurchaseStatus.Expired)]
    public void A_pending_purchase_takes_the_reported_outcome_and_who_reported_it(PaymentOutcome outcome, PurchaseStatus expected)
    {
        var settled = With(PurchaseStatus.Pending).After(outcome, "stripe:evt_1", Now)!;

        settled.Status.ShouldBe(expected);
        settled.CompletedAt.ShouldBe(Now);
        settled.CompletedBy.ShouldBe("stripe:evt_1");
        settled.CheckoutUrl.ShouldBe("/pay");
    }

    [Theory]
    [InlineData(PurchaseStatus.Expired)]
    [InlineData(PurchaseStatus.Failed)]
    public void Money_received_after_an_expiry_or_a_failure_still_pays(PurchaseStatus earlier)
    {
        var settled = With(earlier).After(PaymentOutcome.Paid, "operator:1", Now)!;

        settled.Status.ShouldBe(PurchaseStatus.Paid);
        settled.CompletedAt.ShouldBe(Now);
    }

    [Theory]
    [InlineData(PurchaseStatus.Paid, PaymentOutcome.Paid)]
    [InlineData(PurchaseStatus.Paid, PaymentOutcome.Failed)]
    [InlineData(PurchaseStatus.Paid, PaymentOutcome.Expired)]
    [InlineData(PurchaseStatus.Expired, PaymentOutcome.Failed)]
    [InlineData(PurchaseStatus.Failed, PaymentOutcome.Expired)]
    [InlineData(PurchaseStatus.Expired, PaymentOutcome.Expired)]
    public void Repeats_and_late_arrivals_change_nothing(PurchaseStatus status, PaymentOutcome outcome) =>
        With(status).After(outcome, "expiry", Now).ShouldBeNull();
}
