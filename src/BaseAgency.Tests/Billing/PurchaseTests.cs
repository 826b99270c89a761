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
    [InlineData(PurchaseStatus.Paid, PaymentOutcome.Mismatched)]
    [InlineData(PurchaseStatus.NeedsReview, PaymentOutcome.Mismatched)]
    [InlineData(PurchaseStatus.NeedsReview, PaymentOutcome.Failed)]
    [InlineData(PurchaseStatus.NeedsReview, PaymentOutcome.Expired)]
    [InlineData(PurchaseStatus.Refunded, PaymentOutcome.Paid)]
    [InlineData(PurchaseStatus.Refunded, PaymentOutcome.Mismatched)]
    [InlineData(PurchaseStatus.Refunded, PaymentOutcome.Failed)]
    public void Repeats_and_late_arrivals_change_nothing(PurchaseStatus status, PaymentOutcome outcome) =>
        With(status).After(outcome, "expiry", Now).ShouldBeNull();

    [Theory]
    [InlineData(1000, "USD", PaymentOutcome.Paid)]
    [InlineData(1000, "usd", PaymentOutcome.Paid)]
    [InlineData(999, "USD", PaymentOutcome.Mismatched)]
    [InlineData(1001, "USD", PaymentOutcome.Mismatched)]
    [InlineData(0, "USD", PaymentOutcome.Mismatched)]
    [InlineData(1000, "EUR", PaymentOutcome.Mismatched)]
    [InlineData(1000, "XXX", PaymentOutcome.Mismatched)]
    public void A_payment_is_judged_against_the_price(long amount, string currency, PaymentOutcome expected) =>
        With(PurchaseStatus.Pending).Judge(PaymentOutcome.Paid, new ReceivedPayment(amount, currency, "pi_1")).ShouldBe(expected);

    [Theory]
    [InlineData(PaymentOutcome.Failed)]
    [InlineData(PaymentOutcome.Expired)]
    public void Only_a_payment_is_judged(PaymentOutcome reported) =>
        With(PurchaseStatus.Pending).Judge(reported, new ReceivedPayment(1, "EUR", null)).ShouldBe(reported);

    [Theory]
    [InlineData(PurchaseStatus.Pending)]
    [InlineData(PurchaseStatus.Expired)]
    [InlineData(PurchaseStatus.Failed)]
    public void Money_that_does_not_match_waits_for_review_with_what_was_paid(PurchaseStatus earlier)
    {
        var received = new ReceivedPayment(1, "USD", "pi_1");
        var review = With(earlier).After(PaymentOutcome.Mismatched, "stripe:evt_1", Now, received)!;

        review.Status.ShouldBe(PurchaseStatus.NeedsReview);
        review.Received.ShouldBe(received);
        // An operator accepts it: paid, and what was received stays on record.
        var paid = review.After(PaymentOutcome.Paid, "operator:1", Now)!;
        paid.Status.ShouldBe(PurchaseStatus.Paid);
        paid.Received.ShouldBe(received);
    }

    [Theory]
    [InlineData(PurchaseStatus.Paid, true)]
    [InlineData(PurchaseStatus.NeedsReview, true)]
    [InlineData(PurchaseStatus.Pending, false)]
    [InlineData(PurchaseStatus.Failed, false)]
    [InlineData(PurchaseStatus.Expired, false)]
    [InlineData(PurchaseStatus.Refunded, false)]
    public void Only_money_received_is_refunded(PurchaseStatus status, bool refunds)
    {
        var refunded = With(status).Refunded("re_1", "operator:1", Now);

        (refunded is not null).ShouldBe(refunds);
        if (refunded is null) return;
        refunded.Status.ShouldBe(PurchaseStatus.Refunded);
        refunded.RefundReference.ShouldBe("re_1");
    }
}
