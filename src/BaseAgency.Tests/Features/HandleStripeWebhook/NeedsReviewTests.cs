using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Platform;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BaseAgency.Tests.Features.HandleStripeWebhook;

/// <summary>Money that does not match the price: kept, shown to operators, settled by one of them, never lost and never granted twice.</summary>
[Collection(StripeAppCollection.Name)]
public sealed class NeedsReviewTests(StripeAppFixture app)
{
    [Fact]
    public async Task A_paid_amount_that_is_not_the_price_waits_for_an_operator_who_settles_it_once()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var paymentIntent = app.Stripe.PayWithIntent(sessionId, amount: 1);
        var cheaper = app.Stripe.Event("checkout.session.completed", sessionId, s => s["amount_total"] = 1);

        (await app.Host.DeliverWebhookAsync(cheaper))["purchaseStatus"]!.GetValue<string>().ShouldBe("needs_review");
        (await app.Host.DeliverWebhookAsync(cheaper))["purchaseStatus"]!.GetValue<string>().ShouldBe("needs_review"); // Stripe retries

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50); // nothing granted
        var stored = await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId);
        stored.Status.ShouldBe(PurchaseStatus.NeedsReview);
        stored.Received.ShouldBe(new ReceivedPayment(1, "USD", paymentIntent));
        app.Logs.Lines.ShouldContain(l => l.Level == LogLevel.Error && l.Message.Contains(purchaseId.ToString()) && l.Message.Contains("needs review"));

        // Operators find it across organizations; the customer's own admin may not list them.
        var page = await app.Host.GetAsJson<JsonObject>("/api/admin/purchases?status=needs_review&limit=200", operatorToken);
        var listed = page["items"]!.AsArray().Single(p => p!["id"]!.GetValue<Guid>() == purchaseId)!;
        listed["organizationId"]!.GetValue<Guid>().ShouldBe(customer.Organization.Id);
        listed["status"]!.GetValue<string>().ShouldBe("needs_review");
        listed["received"]!["amount"]!.GetValue<decimal>().ShouldBe(0.01m);
        listed["received"]!["paymentIntentId"]!.GetValue<string>().ShouldBe(paymentIntent);
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/admin/purchases?status=needs_review");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });

        // Settled by an operator: eight at once, then once more; the credits arrive once and it is audited once.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => MarkPaidAsync(purchaseId, operatorToken)));
        (await MarkPaidAsync(purchaseId, operatorToken))["status"]!.GetValue<string>().ShouldBe("paid");
        await app.Host.DeliverWebhookAsync(cheaper); // and a late retry of the event changes nothing

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(150);
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=purchase", customer.Tokens.AccessToken);
        statement["items"]!.AsArray().Count.ShouldBe(1);
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<AuditEntry>().Where(a => a.OrganizationId == customer.Organization.Id && a.Action == "purchase.marked_paid")
            .CountAsync()).ShouldBe(1);
        var after = await app.Host.GetAsJson<JsonObject>("/api/admin/purchases?status=needs_review&limit=200", operatorToken);
        after["items"]!.AsArray().ShouldNotContain(p => p!["id"]!.GetValue<Guid>() == purchaseId);
    }

    [Fact]
    public async Task Another_currency_needs_review_too_and_a_matching_payment_is_still_granted_at_once()
    {
        var customer = await app.Host.SignUpAsync();
        var (mismatch, mismatchSession) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        app.Stripe.PayWithIntent(mismatchSession, currency: "eur");
        (await app.Host.DeliverWebhookAsync(app.Stripe.Event("checkout.session.completed", mismatchSession, s => s["currency"] = "eur")))
            ["purchaseStatus"]!.GetValue<string>().ShouldBe("needs_review");
        // A session that names no currency, or nonsense, is recorded as ISO 4217's "no currency".
        var (nonsense, nonsenseSession) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        await app.Host.DeliverWebhookAsync(app.Stripe.Event("checkout.session.completed", nonsenseSession, s => s["currency"] = "u\u0000d"));
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, nonsense)).Received!.Currency.ShouldBe("XXX");

        var (matching, matchingSession) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var paymentIntent = app.Stripe.PayWithIntent(matchingSession);
        (await app.Host.DeliverWebhookAsync(app.Stripe.Event("checkout.session.completed", matchingSession)))
            ["purchaseStatus"]!.GetValue<string>().ShouldBe("paid");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(150);
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, mismatch)).Received!.Currency.ShouldBe("EUR");
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, matching)).Received.ShouldBe(new ReceivedPayment(1000, "USD", paymentIntent));
    }

    private async Task<JsonObject> MarkPaidAsync(Guid purchaseId, string operatorToken) =>
        await (await app.Host.MarkPaidAsync(purchaseId, operatorToken)).JsonAsync();
}
