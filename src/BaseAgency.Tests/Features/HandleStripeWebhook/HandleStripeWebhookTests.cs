using System.Security.Cryptography;
using System.Text;
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

        (await app.Host.DeliverWebhookAsync(completed, 200))["purchaseStatus"]!.GetValue<string>().ShouldBe("paid");
        await app.Host.DeliverWebhookAsync(completed, 200); // Stripe retries, replays from the dashboard...
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.Host.DeliverWebhookAsync(completed, 200)));
        // ...and a second event for the same payment (a different event id) changes nothing either.
        await app.Host.DeliverWebhookAsync(Stripe.Event("checkout.session.async_payment_succeeded", sessionId), 200);

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

        await (await app.Host.PostWebhookAsync(completed, signature: null, 400)).ProblemAsync(400, "missing_signature");
        await (await app.Host.PostWebhookAsync(completed, FakeStripe.Sign(completed, now, "whsec_someone_else"), 400)).ProblemAsync(400, "invalid_signature");
        await (await app.Host.PostWebhookAsync(completed.Replace("\"paid\"", "\"paid\" "), FakeStripe.Sign(completed, now), 400)).ProblemAsync(400, "invalid_signature");
        var stale = await app.Host.PostWebhookAsync(completed, FakeStripe.Sign(completed, now.AddMinutes(-6)), 400); // outside the 5-minute tolerance
        await stale.ProblemAsync(400, "invalid_signature");
        await (await app.Host.PostWebhookAsync(completed, "t=12345", 400)).ProblemAsync(400, "invalid_signature");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50);
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.Pending);
    }

    [Fact]
    public async Task Signed_events_we_do_not_act_on_are_200_and_change_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var (purchaseId, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");

        // Stripe retries anything but a 2xx for days, then disables the endpoint: what we ignore is acknowledged.
        string[] ignored =
        [
            SignedEvent("customer.created", """{"id":"cus_123","object":"customer","email":"someone@example.com"}"""),
            SignedEvent("widget.invented", """{"id":"wdg_1","object":"widget"}"""),
            Stripe.Event("checkout.session.completed", sessionId, s => s["client_reference_id"] = Guid.NewGuid().ToString()), // no purchase of ours
            Stripe.Event("checkout.session.completed", sessionId, s => s["client_reference_id"] = "not-a-guid"),
            Stripe.Event("checkout.session.completed", sessionId, s => s["id"] = "cs_test_forged"), // another account's session
            Stripe.Event("checkout.session.completed", sessionId, s => s.Remove("client_reference_id")),
        ];
        foreach (var payload in ignored)
        {
            var answer = await app.Host.DeliverWebhookAsync(payload, 200);
            answer["received"]!.GetValue<bool>().ShouldBeTrue();
            answer["ignored"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        }
        // A checkout event we do not act on is about our purchase: acknowledged with its state, unchanged.
        (await app.Host.DeliverWebhookAsync(Stripe.Event("checkout.session.created_by_the_future", sessionId), 200))["purchaseStatus"]!.GetValue<string>()
            .ShouldBe("pending");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50);
        (await app.Host.StoredPurchaseAsync(customer.Organization.Id, purchaseId)).Status.ShouldBe(PurchaseStatus.Pending);
        // Logged by event id and type; what the payload carries stays out of the logs.
        var customerCreated = JsonNode.Parse(ignored[0])!["id"]!.GetValue<string>();
        app.Logs.Lines.ShouldContain(l => l.Message.Contains(customerCreated) && l.Message.Contains("customer.created"));
        app.Logs.Lines.ShouldNotContain(l => l.Message.Contains("someone@example.com"));
    }

    [Theory]
    [InlineData("{\"not\": \"an event\"")] // not JSON
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":null}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":[]}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\"}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{}}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":null}}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":[]}}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"data\":{\"object\":{\"object\":\"customer\"}}}")] // no type
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":7,\"data\":{\"object\":{\"object\":\"customer\"}}}")]
    [InlineData("{\"object\":\"event\",\"type\":\"customer.created\",\"data\":{\"object\":{\"object\":\"customer\"}}}")] // no id
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"customer.created\",\"created\":\"yesterday\",\"data\":{\"object\":{\"object\":\"customer\"}}}")]
    [InlineData("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"object\":\"checkout.session\",\"amount_total\":{\"a\":1}}}}")]
    [InlineData("{\"id\":\"evt_1\",\"type\":\"customer.created\",\"data\":{\"object\":{\"object\":\"customer\"}}}\u0000")]
    public async Task Signed_bodies_that_are_not_stripe_events_are_400(string payload) =>
        await (await app.Host.DeliverWebhookResultAsync(payload, 400)).ProblemAsync(400, "malformed_event");

    [Fact]
    public async Task Odd_bytes_charsets_and_sizes_never_give_a_500()
    {
        var customer = await app.Host.SignUpAsync();
        var (_, sessionId) = await app.Host.BuyWithSessionAsync(customer.Tokens.AccessToken, "credits-100");
        var now = DateTimeOffset.UtcNow;

        // Bytes that are not UTF-8, signed over exactly those bytes: Stripe never sends them, so they do not verify.
        byte[] latin1 = [.. "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"data\":{\"object\":{\"name\":\""u8, 0xE9, 0xFF, .. "\"}}}"u8];
        await (await PostBytesAsync(latin1, SignBytes(latin1, now), "application/json", 400)).ProblemAsync(400, "invalid_signature");
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(SignedEvent("customer.created", """{"id":"cus_1","object":"customer"}"""))];
        await (await PostBytesAsync(withBom, SignBytes(withBom, now), "application/json", 400)).ProblemAsync(400, "malformed_event");

        // The charset a sender claims changes nothing: the signature is over the bytes.
        var completed = Stripe.Event("checkout.session.completed", sessionId);
        foreach (var contentType in new[] { "application/json; charset=utf-16", "text/plain; charset=klingon", "application/octet-stream" })
            (await (await PostBytesAsync(Encoding.UTF8.GetBytes(completed), FakeStripe.Sign(completed, now), contentType, 200)).JsonAsync())
                ["purchaseStatus"]!.GetValue<string>().ShouldBe("paid");

        // NUL and other control characters escaped inside strings are well-formed JSON: a signed event carrying them is read.
        var nul = SignedEvent("customer.created", """{"id":"cus_\u0000\u0001","object":"customer","name":"a\u0000b"}""");
        (await app.Host.DeliverWebhookAsync(nul, 200))["ignored"].ShouldNotBeNull();
        await (await app.Host.PostWebhookAsync(nul, "t=\u0000,v1=\u0000", 400)).ProblemAsync(400, "invalid_signature");
        await (await app.Host.PostWebhookAsync(nul, "t=99999999999999999999999,v1=zz,v0=", 400)).ProblemAsync(400, "invalid_signature");
        await (await app.Host.PostWebhookAsync(nul, ",,,=,=,", 400)).ProblemAsync(400, "invalid_signature");

        // Larger than the service accepts: 413 before anything is read.
        var huge = Encoding.UTF8.GetBytes(SignedEvent("customer.created", $$"""{"id":"cus_1","object":"customer","name":"{{new string('x', 2 << 20)}}"}"""));
        await (await PostBytesAsync(huge, SignBytes(huge, now), "application/json", 413)).ProblemAsync(413, "payload_too_large");
        // Deeply nested JSON is refused by the parser's depth limit, not by a stack overflow.
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000);
        var deep = SignedEvent("customer.created", "{\"id\":\"cus_1\",\"object\":\"customer\",\"metadata\":" + nested + "}");
        await (await app.Host.DeliverWebhookResultAsync(deep, 400)).ProblemAsync(400, "malformed_event");
    }

    [Fact]
    public async Task Delayed_payments_failures_and_expiry_follow_the_session()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;

        // A bank transfer: the session completes unpaid, the money arrives later.
        var (delayed, delayedSession) = await app.Host.BuyWithSessionAsync(token, "credits-100");
        await app.Host.DeliverWebhookAsync(Stripe.Event("checkout.session.completed", delayedSession, s => s["payment_status"] = "unpaid"), 200);
        (await app.Host.StoredPurchaseAsync(org, delayed)).Status.ShouldBe(PurchaseStatus.Pending);
        await app.Host.DeliverWebhookAsync(Stripe.Event("checkout.session.async_payment_succeeded", delayedSession), 200);
        (await app.Host.StoredPurchaseAsync(org, delayed)).Status.ShouldBe(PurchaseStatus.Paid);

        var (failed, failedSession) = await app.Host.BuyWithSessionAsync(token, "credits-100");
        await app.Host.DeliverWebhookAsync(Stripe.Event("checkout.session.async_payment_failed", failedSession), 200);
        (await app.Host.StoredPurchaseAsync(org, failed)).Status.ShouldBe(PurchaseStatus.Failed);

        var (expired, expiredSession) = await app.Host.BuyWithSessionAsync(token, "credits-100");
        await app.Host.DeliverWebhookAsync(Stripe.Event("checkout.session.expired", expiredSession), 200);
        (await app.Host.StoredPurchaseAsync(org, expired)).Status.ShouldBe(PurchaseStatus.Expired);

        (await app.Host.AvailableAsync(token)).ShouldBe(150);
    }

    private static string SignedEvent(string type, string dataObject) =>
        $$$"""{"id":"evt_{{{Guid.NewGuid():N}}}","object":"event","api_version":"2025-01-27.acacia","created":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"type":"{{{type}}}","livemode":false,"data":{"object":{{{dataObject}}}}}""";

    private static string SignBytes(byte[] payload, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(FakeStripe.WebhookSecret), (byte[])[.. Encoding.UTF8.GetBytes($"{t}."), .. payload]);
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private Task<IScenarioResult> PostBytesAsync(byte[] payload, string signature, string contentType, int status) =>
        app.Host.Scenario(s =>
        {
            s.Post.Url("/api/billing/webhooks/stripe");
            s.ConfigureHttpContext(c =>
            {
                c.Request.Body = new MemoryStream(payload);
                c.Request.ContentLength = payload.Length;
                c.Request.ContentType = contentType;
            });
            s.WithRequestHeader("Stripe-Signature", signature);
            s.StatusCodeShouldBe(status);
        });
}
