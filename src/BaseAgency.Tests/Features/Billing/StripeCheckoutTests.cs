using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Organizations;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.Billing;

/// <summary>Buying credits through Stripe Checkout, against a local fake of Stripe's API and its webhook signatures.</summary>
[Collection(StripeAppCollection.Name)]
public sealed class StripeCheckoutTests(StripeAppFixture app)
{
    private FakeStripe Stripe => app.Stripe;

    [Fact]
    public async Task A_purchase_opens_a_checkout_session_that_carries_the_purchase_id()
    {
        var customer = await app.Host.SignUpAsync();
        var purchase = await BuyAsync(customer.Tokens.AccessToken, "credits-500");
        var id = purchase["id"]!.GetValue<string>();

        var request = Stripe.Requests.Single(r => r.Form.GetValueOrDefault("client_reference_id") == id);
        request.Path.ShouldBe("/v1/checkout/sessions");
        request.IdempotencyKey.ShouldBe($"purchase-{id}");
        request.Form["mode"].ShouldBe("payment");
        request.Form["metadata[purchase_id]"].ShouldBe(id);
        request.Form["metadata[organization_id]"].ShouldBe(customer.Organization.Id.ToString());
        request.Form["line_items[0][price_data][unit_amount]"].ShouldBe("4500");
        request.Form["line_items[0][price_data][currency]"].ShouldBe("usd");
        request.Form["success_url"].ShouldContain(id);

        purchase["provider"]!.GetValue<string>().ShouldBe("stripe");
        purchase["status"]!.GetValue<string>().ShouldBe("pending");
        purchase["checkoutUrl"]!.GetValue<string>().ShouldStartWith("https://checkout.stripe.com/c/pay/cs_test_");
    }

    [Fact]
    public async Task A_completed_checkout_grants_once_however_often_stripe_delivers_it()
    {
        var customer = await app.Host.SignUpAsync();
        var (purchaseId, sessionId) = await BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var completed = Stripe.Event("checkout.session.completed", sessionId);

        (await DeliverAsync(completed, 200))["purchaseStatus"]!.GetValue<string>().ShouldBe("paid");
        await DeliverAsync(completed, 200); // Stripe retries, replays from the dashboard...
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DeliverAsync(completed, 200)));
        // ...and a second event for the same payment (a different event id) changes nothing either.
        await DeliverAsync(Stripe.Event("checkout.session.async_payment_succeeded", sessionId), 200);

        (await BalanceAsync(customer.Tokens.AccessToken)).ShouldBe(150);
        var purchase = await app.Host.GetAsJson<JsonObject>($"/api/credits/purchases/{purchaseId}", customer.Tokens.AccessToken);
        purchase["status"]!.GetValue<string>().ShouldBe("paid");
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=purchase", customer.Tokens.AccessToken);
        statement["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Unsigned_or_badly_signed_webhooks_are_400_and_change_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var (purchaseId, sessionId) = await BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var completed = Stripe.Event("checkout.session.completed", sessionId);
        var now = DateTimeOffset.UtcNow;

        await (await PostAsync(completed, signature: null, 400)).ProblemAsync(400, "missing_signature");
        await (await PostAsync(completed, FakeStripe.Sign(completed, now, "whsec_someone_else"), 400)).ProblemAsync(400, "invalid_signature");
        await (await PostAsync(completed.Replace("\"paid\"", "\"paid\" "), FakeStripe.Sign(completed, now), 400)).ProblemAsync(400, "invalid_signature");
        var stale = await PostAsync(completed, FakeStripe.Sign(completed, now.AddMinutes(-6)), 400); // outside the 5-minute tolerance
        await stale.ProblemAsync(400, "invalid_signature");
        await (await PostAsync(completed, "t=12345", 400)).ProblemAsync(400, "invalid_signature");

        (await BalanceAsync(customer.Tokens.AccessToken)).ShouldBe(50);
        (await PurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.Pending);
    }

    [Fact]
    public async Task Signed_events_we_do_not_know_are_400_and_change_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var (purchaseId, sessionId) = await BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");

        var otherType = Stripe.Event("checkout.session.completed", sessionId).Replace("\"checkout.session.completed\"", "\"invoice.paid\"");
        await (await DeliverResultAsync(otherType, 400)).ProblemAsync(400, "unsupported_event");
        var notOurs = Stripe.Event("checkout.session.completed", sessionId, s => s["client_reference_id"] = Guid.NewGuid().ToString());
        await (await DeliverResultAsync(notOurs, 400)).ProblemAsync(400, "unknown_purchase");
        var otherSession = Stripe.Event("checkout.session.completed", sessionId, s => s["id"] = "cs_test_forged");
        await (await DeliverResultAsync(otherSession, 400)).ProblemAsync(400, "unknown_purchase");
        var cheaper = Stripe.Event("checkout.session.completed", sessionId, s => s["amount_total"] = 1);
        await (await DeliverResultAsync(cheaper, 400)).ProblemAsync(400, "amount_mismatch");
        await (await DeliverResultAsync("{\"not\": \"an event\"", 400)).ProblemAsync(400, "malformed_event");

        (await BalanceAsync(customer.Tokens.AccessToken)).ShouldBe(50);
        (await PurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.Pending);
    }

    [Fact]
    public async Task Delayed_payments_failures_and_expiry_follow_the_session()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;

        // A bank transfer: the session completes unpaid, the money arrives later.
        var (delayed, delayedSession) = await BuyWithSessionAsync(token, "credits-100");
        await DeliverAsync(Stripe.Event("checkout.session.completed", delayedSession, s => s["payment_status"] = "unpaid"), 200);
        (await PurchaseAsync(org, delayed)).Status.ShouldBe(PurchaseStatus.Pending);
        await DeliverAsync(Stripe.Event("checkout.session.async_payment_succeeded", delayedSession), 200);
        (await PurchaseAsync(org, delayed)).Status.ShouldBe(PurchaseStatus.Paid);

        var (failed, failedSession) = await BuyWithSessionAsync(token, "credits-100");
        await DeliverAsync(Stripe.Event("checkout.session.async_payment_failed", failedSession), 200);
        (await PurchaseAsync(org, failed)).Status.ShouldBe(PurchaseStatus.Failed);

        var (expired, expiredSession) = await BuyWithSessionAsync(token, "credits-100");
        await DeliverAsync(Stripe.Event("checkout.session.expired", expiredSession), 200);
        (await PurchaseAsync(org, expired)).Status.ShouldBe(PurchaseStatus.Expired);

        (await BalanceAsync(token)).ShouldBe(150);
    }

    [Fact]
    public async Task Stripe_errors_are_retried_with_the_same_idempotency_key_then_answered_503()
    {
        var customer = await app.Host.SignUpAsync();

        Stripe.FailuresToInject = 1; // one 500, then Stripe answers: the retry reuses the key, one session
        var purchase = await BuyAsync(customer.Tokens.AccessToken, "credits-100");
        var attempts = Stripe.Requests.Where(r => r.Form.GetValueOrDefault("client_reference_id") == purchase["id"]!.GetValue<string>()).ToList();
        attempts.Count.ShouldBe(2);
        attempts.Select(a => a.IdempotencyKey).Distinct().Count().ShouldBe(1);

        Stripe.FailuresToInject = 3; // down for every attempt
        var down = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { packId = "credits-100" }).ToUrl("/api/credits/purchases");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(503);
        });
        await down.ProblemAsync(503, "payment_provider_unavailable");
        Stripe.FailuresToInject = 0;

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(customer.Organization.Id);
        (await session.Query<Purchase>().CountAsync()).ShouldBe(1); // the failed attempt stored nothing
    }

    private async Task<JsonObject> BuyAsync(string token, string packId)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { packId }).ToUrl("/api/credits/purchases");
            s.As(token);
            s.StatusCodeShouldBe(201);
        });
        return await result.JsonAsync();
    }

    private async Task<(Guid PurchaseId, string SessionId)> BuyWithSessionAsync(string token, string packId)
    {
        var purchase = await BuyAsync(token, packId);
        return (purchase["id"]!.GetValue<Guid>(), purchase["checkoutUrl"]!.GetValue<string>().Split('/').Last());
    }

    private async Task<JsonObject> DeliverAsync(string payload, int status) =>
        await (await DeliverResultAsync(payload, status)).JsonAsync();

    private Task<IScenarioResult> DeliverResultAsync(string payload, int status) =>
        PostAsync(payload, FakeStripe.Sign(payload, DateTimeOffset.UtcNow), status);

    private Task<IScenarioResult> PostAsync(string payload, string? signature, int status) =>
        app.Host.Scenario(s =>
        {
            s.Post.Url("/api/billing/webhooks/stripe");
            s.Body.TextIs(payload);
            s.ConfigureHttpContext(c => c.Request.ContentType = "application/json; charset=utf-8");
            if (signature is not null) s.WithRequestHeader("Stripe-Signature", signature);
            s.StatusCodeShouldBe(status);
        });

    private async Task<int> BalanceAsync(string token) =>
        (await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token))["available"]!.GetValue<int>();

    private async Task<Purchase> PurchaseAsync(Guid org, Guid id)
    {
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        return (await session.LoadAsync<Purchase>(id))!;
    }
}
