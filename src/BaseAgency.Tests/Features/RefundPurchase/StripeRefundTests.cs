using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Platform;
using BaseAgency.Tests.Features.HandleStripeWebhook;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.RefundPurchase;

/// <summary>Refunds through Stripe: one refund per purchase, however often or however concurrently an operator asks.</summary>
[Collection(StripeAppCollection.Name)]
public sealed class StripeRefundTests(StripeAppFixture app)
{
    [Fact]
    public async Task A_payment_in_review_is_refunded_once_with_a_stable_idempotency_key_and_never_granted()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var paymentIntent = app.Stripe.PayWithIntent(sessionId, currency: "eur");
        await app.Host.DeliverWebhookAsync(app.Stripe.Event("checkout.session.completed", sessionId, s => s["currency"] = "eur"));

        // Stripe fails three times (its SDK retries twice with the same key): 503, nothing recorded.
        app.Stripe.RefundFailuresToInject = 3;
        await (await app.Host.RefundAsync(purchaseId, operatorToken, 503)).ProblemAsync(503, "payment_provider_unavailable");
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.NeedsReview);

        // The operator tries again, eight times at once and once more: one refund at Stripe, one record, one audit entry.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.RefundAsync(purchaseId, operatorToken, 200)));
        var refunded = await (await app.Host.RefundAsync(purchaseId, operatorToken, 200)).JsonAsync();
        refunded["status"]!.GetValue<string>().ShouldBe("refunded");

        var requests = app.Stripe.Requests.Where(r => r.Path == "/v1/refunds" && r.Form["payment_intent"] == paymentIntent).ToList();
        requests.Count.ShouldBeGreaterThanOrEqualTo(4);
        requests.ShouldAllBe(r => r.IdempotencyKey == $"refund-{purchaseId}");
        var refund = app.Stripe.Refunds.Values.Single(r => r["payment_intent"]!.GetValue<string>() == paymentIntent);
        refund["amount"]!.GetValue<long>().ShouldBe(1000);
        refund["currency"]!.GetValue<string>().ShouldBe("eur");
        var stored = await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId);
        stored.RefundReference.ShouldBe(refund["id"]!.GetValue<string>());
        await using (var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession())
            (await session.Query<AuditEntry>().Where(a => a.OrganizationId == customer.Organization.Id && a.Action == "purchase.refunded")
                .CountAsync()).ShouldBe(1);

        // The money went back: neither a late "paid" from Stripe nor an operator's mark-paid grants anything now.
        (await app.Host.DeliverWebhookAsync(app.Stripe.Event("checkout.session.async_payment_succeeded", sessionId)))
            ["purchaseStatus"]!.GetValue<string>().ShouldBe("refunded");
        await (await app.Host.MarkPaidAsync(purchaseId, operatorToken, 409)).ProblemAsync(409, "purchase_refunded");
        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50);
    }

    [Fact]
    public async Task A_paid_purchase_is_refunded_and_its_credits_taken_back()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var paymentIntent = app.Stripe.PayWithIntent(sessionId);
        await app.Host.DeliverWebhookAsync(app.Stripe.Event("checkout.session.completed", sessionId));
        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(150);

        (await (await app.Host.RefundAsync(purchaseId, operatorToken, 200)).JsonAsync())["status"]!.GetValue<string>().ShouldBe("refunded");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50);
        app.Stripe.Refunds.Values.Single(r => r["payment_intent"]!.GetValue<string>() == paymentIntent)["amount"]!.GetValue<long>().ShouldBe(1000);
    }

    [Fact]
    public async Task Stripe_saying_no_is_a_409_and_changes_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        // A PaymentIntent Stripe does not know (another account's): Stripe answers resource_missing.
        await app.Host.DeliverWebhookAsync(app.Stripe.Event("checkout.session.completed", sessionId, s =>
        {
            s["amount_total"] = 5;
            s["payment_intent"] = "pi_unknown_to_stripe";
        }));

        var refused = await (await app.Host.RefundAsync(purchaseId, operatorToken, 409)).ProblemAsync(409, "refund_refused");
        refused["detail"]!.GetValue<string>().ShouldContain("resource_missing");
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.NeedsReview);
    }
}
