using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.HandleStripeWebhook;

/// <summary>Stripe reporting checkout sessions, signed with a local fake's webhook signatures.</summary>
[Collection(StripeAppCollection.Name)]
public sealed class HandleStripeWebhookTests(StripeAppFixture app)
{
    private FakeStripe Stripe => app.Stripe;

    [Fact]
    public async Task A_completed_checkout_grants_once_however_often_stripe_delivers_it()
    {
        var customer = await app.Host.SignUpAsync();
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var completed = Stripe.Event("checkout.session.completed", sessionId);

        (await DeliverAsync(completed, 200))["purchaseStatus"]!.GetValue<string>().ShouldBe("paid");
        await DeliverAsync(completed, 200); // Stripe retries, replays from the dashboard...
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DeliverAsync(completed, 200)));
        // ...and a second event for the same payment (a different event id) changes nothing either.
        await DeliverAsync(Stripe.Event("checkout.session.async_payment_succeeded", sessionId), 200);

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(150);
        var purchase = await app.Host.GetAsJson<JsonObject>($"/api/credits/purchases/{purchaseId}", customer.Tokens.AccessToken);
        purchase["status"]!.GetValue<string>().ShouldBe("paid");
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=purchase", customer.Tokens.AccessToken);
        statement["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Unsigned_or_badly_signed_webhooks_are_400_and_change_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var completed = Stripe.Event("checkout.session.completed", sessionId);
        var now = DateTimeOffset.UtcNow;

        await (await PostAsync(completed, signature: null, 400)).ProblemAsync(400, "missing_signature");
        await (await PostAsync(completed, FakeStripe.Sign(completed, now, "whsec_someone_else"), 400)).ProblemAsync(400, "invalid_signature");
        await (await PostAsync(completed.Replace("\"paid\"", "\"paid\" "), FakeStripe.Sign(completed, now), 400)).ProblemAsync(400, "invalid_signature");
        var stale = await PostAsync(completed, FakeStripe.Sign(completed, now.AddMinutes(-6)), 400); // outside the 5-minute tolerance
        await stale.ProblemAsync(400, "invalid_signature");
        await (await PostAsync(completed, "t=12345", 400)).ProblemAsync(400, "invalid_signature");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50);
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.Pending);
    }

    [Fact]
    public async Task Signed_events_we_do_not_know_are_400_and_change_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");

        var otherType = Stripe.Event("checkout.session.completed", sessionId).Replace("\"checkout.session.completed\"", "\"customer.created\"");
        await (await DeliverResultAsync(otherType, 400)).ProblemAsync(400, "unsupported_event");
        var notOurs = Stripe.Event("checkout.session.completed", sessionId, s => s["client_reference_id"] = Guid.NewGuid().ToString());
        await (await DeliverResultAsync(notOurs, 400)).ProblemAsync(400, "unknown_purchase");
        var otherSession = Stripe.Event("checkout.session.completed", sessionId, s => s["id"] = "cs_test_forged");
        await (await DeliverResultAsync(otherSession, 400)).ProblemAsync(400, "unknown_purchase");
        var cheaper = Stripe.Event("checkout.session.completed", sessionId, s => s["amount_total"] = 1);
        await (await DeliverResultAsync(cheaper, 400)).ProblemAsync(400, "amount_mismatch");
        await (await DeliverResultAsync("{\"not\": \"an event\"", 400)).ProblemAsync(400, "malformed_event");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50);
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.Pending);
    }

    [Fact]
    public async Task Delayed_payments_failures_and_expiry_follow_the_session()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;

        // A bank transfer: the session completes unpaid, the money arrives later.
        var (delayed, delayedSession) = await app.Host.BuyWithSessionAsync(token, "credits-100");
        await DeliverAsync(Stripe.Event("checkout.session.completed", delayedSession, s => s["payment_status"] = "unpaid"), 200);
        (await app.Host.StoredPurchaseAsync(org, delayed)).Status.ShouldBe(PurchaseStatus.Pending);
        await DeliverAsync(Stripe.Event("checkout.session.async_payment_succeeded", delayedSession), 200);
        (await app.Host.StoredPurchaseAsync(org, delayed)).Status.ShouldBe(PurchaseStatus.Paid);

        var (failed, failedSession) = await app.Host.BuyWithSessionAsync(token, "credits-100");
        await DeliverAsync(Stripe.Event("checkout.session.async_payment_failed", failedSession), 200);
        (await app.Host.StoredPurchaseAsync(org, failed)).Status.ShouldBe(PurchaseStatus.Failed);

        var (expired, expiredSession) = await app.Host.BuyWithSessionAsync(token, "credits-100");
        await DeliverAsync(Stripe.Event("checkout.session.expired", expiredSession), 200);
        (await app.Host.StoredPurchaseAsync(org, expired)).Status.ShouldBe(PurchaseStatus.Expired);

        (await app.Host.AvailableAsync(token)).ShouldBe(150);
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
}
