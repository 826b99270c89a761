using BaseAgency.Billing;
using BaseAgency.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using Handler = BaseAgency.Features.RefundPurchase.RefundPurchaseHandler;
using MarkPaid = BaseAgency.Features.MarkPurchasePaid.MarkPurchasePaidHandler;

namespace BaseAgency.Tests.Features.RefundPurchase;

/// <summary>What may be refunded or marked paid, and how a refunded purchase's credits come back: pure decisions.</summary>
public sealed class RefundRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static Purchase With(PurchaseStatus status, string provider = StripePayments.Id) =>
        new(Guid.NewGuid(), Guid.NewGuid(), PurchaseKind.Credits, "credits-100", "100 credits", 100, 1000, "USD", status, provider,
            Guid.NewGuid(), Now.AddHours(-2), Now.AddHours(-1));

    [Theory]
    [InlineData(PurchaseStatus.Pending, "nothing_to_refund")]
    [InlineData(PurchaseStatus.Failed, "nothing_to_refund")]
    [InlineData(PurchaseStatus.Expired, "nothing_to_refund")]
    [InlineData(PurchaseStatus.Paid, null)]
    [InlineData(PurchaseStatus.NeedsReview, null)]
    public void Only_money_received_is_refundable(PurchaseStatus status, string? code) =>
        CodeOf(Handler.Refusal(With(status))).ShouldBe(code);

    [Theory]
    [InlineData(PurchaseStatus.NeedsReview, StripePayments.Id, null)]
    [InlineData(PurchaseStatus.Paid, StripePayments.Id, null)] // a replay: answered with the purchase as it is
    [InlineData(PurchaseStatus.Pending, ManualPayments.Id, null)]
    [InlineData(PurchaseStatus.Pending, StripePayments.Id, "not_manual")]
    [InlineData(PurchaseStatus.Expired, StripePayments.Id, "not_manual")]
    [InlineData(PurchaseStatus.Refunded, ManualPayments.Id, "purchase_refunded")]
    [InlineData(PurchaseStatus.Refunded, StripePayments.Id, "purchase_refunded")]
    public void Operators_mark_paid_manual_payments_and_payments_in_review(PurchaseStatus status, string provider, string? code) =>
        CodeOf(MarkPaid.Refusal(With(status, provider))).ShouldBe(code);

    [Fact]
    public void Credits_are_taken_back_from_paid_credits_only()
    {
        var plan = new CreditBucket(Guid.NewGuid(), BucketKind.Plan, 500, Now.AddDays(10), Now.AddDays(-20));
        var older = new CreditBucket(Guid.NewGuid(), BucketKind.Purchased, 30, null, Now.AddDays(-5));
        var newer = new CreditBucket(Guid.NewGuid(), BucketKind.Purchased, 100, null, Now.AddDays(-1));
        var bonus = new CreditBucket(Guid.NewGuid(), BucketKind.Bonus, 50, null, Now.AddDays(-30));
        var account = Account(plan, older, newer, bonus);

        var taken = CreditRules.TakeBack(account, 100, "Refund of purchase 1", Guid.Empty, Now);

        taken.Rejection.ShouldBeNull();
        var adjusted = taken.Events.OfType<CreditsAdjusted>().Single();
        adjusted.Amount.ShouldBe(-100);
        adjusted.Taken.Sum(d => d.Amount).ShouldBe(100);
        adjusted.Taken.Select(d => d.BucketId).ShouldBeSubsetOf([older.Id, newer.Id]);
        var after = CreditRules.Fold(account, taken.Events);
        after.Available.ShouldBe(680 - 100);
        after.Buckets.Where(b => b.Kind == BucketKind.Purchased).Sum(b => b.Remaining).ShouldBe(30);
        after.Buckets.Single(b => b.Id == plan.Id).Remaining.ShouldBe(500);
        after.Buckets.Single(b => b.Id == bonus.Id).Remaining.ShouldBe(50);
    }

    [Fact]
    public void Fewer_paid_credits_than_the_purchase_gave_is_a_refusal_with_the_numbers()
    {
        var account = Account(new CreditBucket(Guid.NewGuid(), BucketKind.Plan, 500, Now.AddDays(10), Now.AddDays(-20)),
            new CreditBucket(Guid.NewGuid(), BucketKind.Purchased, 99, null, Now.AddDays(-1)));

        var refused = CreditRules.TakeBack(account, 100, "Refund of purchase 1", Guid.Empty, Now);

        refused.Rejection.ShouldBe(new InsufficientCredits(100, 99));
        refused.Events.ShouldBeEmpty();
        CreditRules.TakeBack(account, 0, "Refund of purchase 1", Guid.Empty, Now).Rejection.ShouldBeOfType<InvalidLedgerAmount>();
    }

    private static string? CodeOf(ProblemHttpResult? problem) => problem?.ProblemDetails.Extensions["code"] as string;

    private static CreditAccount Account(params CreditBucket[] buckets) =>
        CreditAccount.Create(new CreditAccountOpened(Guid.NewGuid(), Now.AddDays(-40))) with { Buckets = [.. buckets] };
}
