using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.TopUpCredits;

/// <summary>Auto top-up charged off-session through Stripe PaymentIntents, against a local fake of Stripe's API.</summary>
[Collection(StripeAppCollection.Name)]
public sealed class TopUpCreditsWithStripeTests(StripeAppFixture app)
{
    private FakeStripe Stripe => app.Stripe;

    /// <summary>An organization of 50 credits whose auto top-up (below 100: 500 credits) is due, with the given Stripe customer.</summary>
    private async Task<(Guid Org, string Token)> LowOrganizationAsync(string? stripeCustomer)
    {
        var customer = await app.Host.SignUpAsync();
        if (stripeCustomer is not null) await app.Host.SetStripeCustomerAsync(customer.Organization.Id, stripeCustomer);
        await app.Host.SetAutoTopUpAsync(customer.Tokens.AccessToken, 100, "credits-500");
        return (customer.Organization.Id, customer.Tokens.AccessToken);
    }

    private async Task<JsonObject> LastAttemptAsync(string token) =>
        (await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token))["autoTopUp"]!["lastAttempt"]!.AsObject();

    [Fact]
    public async Task The_saved_card_is_charged_off_session_and_the_credits_granted_once()
    {
        var stripeCustomer = Stripe.AddCustomer(FakeStripe.Card);
        var (org, token) = await LowOrganizationAsync(stripeCustomer);

        await app.Host.TopUpIfLowAsync(org);

        var purchase = (await app.Host.PurchasesAsync(org)).ShouldHaveSingleItem();
        purchase.Status.ShouldBe(PurchaseStatus.Paid);
        purchase.Provider.ShouldBe("stripe");
        var request = Stripe.Requests.Single(r => r.Form.GetValueOrDefault("metadata[purchase_id]") == purchase.Id.ToString());
        request.Path.ShouldBe("/v1/payment_intents");
        request.IdempotencyKey.ShouldBe($"topup-{purchase.Id}");
        request.Form["amount"].ShouldBe("4500");
        request.Form["currency"].ShouldBe("usd");
        request.Form["customer"].ShouldBe(stripeCustomer);
        request.Form["payment_method"].ShouldBe(FakeStripe.Card);
        request.Form["off_session"].ShouldBe("true");
        request.Form["confirm"].ShouldBe("true");
        purchase.ProviderReference.ShouldBe(Stripe.PaymentIntentOf(purchase.Id)["id"]!.GetValue<string>());
        (await app.Host.AvailableAsync(token)).ShouldBe(550);
        (await LastAttemptAsync(token))["result"]!.GetValue<string>().ShouldBe("succeeded");

        // Stripe's own word on the payment, delivered twice, changes nothing.
        var succeeded = Stripe.PaymentIntentEvent("payment_intent.succeeded", purchase.ProviderReference!);
        for (var i = 0; i < 2; i++) (await DeliverAsync(succeeded))["purchaseStatus"]!.GetValue<string>().ShouldBe("paid");
        (await app.Host.AvailableAsync(token)).ShouldBe(550);
        (await app.Host.AuditedAsync(org)).ShouldBe(["credits.auto_top_up_charged"]);
    }

    [Theory]
    [InlineData(FakeStripe.DeclinedCard, "card_declined", "Your card was declined.")]
    [InlineData(FakeStripe.AuthenticationRequiredCard, "authentication_required", "Your card was declined. This transaction requires authentication.")]
    public async Task A_refused_card_is_a_failure_shown_on_the_balance_and_audited(string card, string code, string message)
    {
        // No default on the customer: the card saved last is used (Checkout in subscription mode saves it on the subscription).
        var (org, token) = await LowOrganizationAsync(Stripe.AddCustomer(null, card));

        await app.Host.TopUpIfLowAsync(org);

        var attempt = await LastAttemptAsync(token);
        attempt["result"]!.GetValue<string>().ShouldBe("failed");
        attempt["failureCode"]!.GetValue<string>().ShouldBe(code);
        attempt["failureMessage"]!.GetValue<string>().ShouldBe(message);
        var purchase = (await app.Host.PurchasesAsync(org)).ShouldHaveSingleItem();
        purchase.Status.ShouldBe(PurchaseStatus.Failed);
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        (await app.Host.AuditedAsync(org)).ShouldBe(["credits.auto_top_up_failed"]);

        // Stripe's payment_failed for it arrives too: still failed, nothing more audited.
        purchase.ProviderReference.ShouldBe(Stripe.PaymentIntentOf(purchase.Id)["id"]!.GetValue<string>());
        var failed = Stripe.PaymentIntentEvent("payment_intent.payment_failed", purchase.ProviderReference!);
        (await DeliverAsync(failed))["purchaseStatus"]!.GetValue<string>().ShouldBe("failed");
        (await app.Host.AuditedAsync(org)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Without_a_saved_payment_method_the_attempt_fails_visibly_and_nothing_is_charged()
    {
        var (noCustomer, noCustomerToken) = await LowOrganizationAsync(null);
        var (noCard, noCardToken) = await LowOrganizationAsync(Stripe.AddCustomer(null));
        var (unknown, unknownToken) = await LowOrganizationAsync("cus_deleted_long_ago");

        foreach (var (org, token) in new[] { (noCustomer, noCustomerToken), (noCard, noCardToken), (unknown, unknownToken) })
        {
            await app.Host.TopUpIfLowAsync(org);
            var attempt = await LastAttemptAsync(token);
            attempt["result"]!.GetValue<string>().ShouldBe("failed");
            attempt["failureCode"]!.GetValue<string>().ShouldBe("payment_method_required");
            (await app.Host.PurchasesAsync(org)).ShouldHaveSingleItem().Status.ShouldBe(PurchaseStatus.Failed);
            Stripe.Requests.ShouldNotContain(r => r.Path == "/v1/payment_intents" && r.Form.GetValueOrDefault("metadata[organization_id]") == org.ToString());
        }
    }

    [Fact]
    public async Task A_payment_still_processing_is_settled_by_stripes_webhook()
    {
        var (org, token) = await LowOrganizationAsync(Stripe.AddCustomer(FakeStripe.DebitInProcessing, FakeStripe.DebitInProcessing));

        await app.Host.TopUpIfLowAsync(org);
        (await LastAttemptAsync(token))["result"]!.GetValue<string>().ShouldBe("pending");
        var purchase = (await app.Host.PurchasesAsync(org)).ShouldHaveSingleItem();
        purchase.Status.ShouldBe(PurchaseStatus.Pending);
        (await app.Host.AvailableAsync(token)).ShouldBe(50);

        (await DeliverAsync(Stripe.PaymentIntentEvent("payment_intent.succeeded", purchase.ProviderReference!)))["purchaseStatus"]!
            .GetValue<string>().ShouldBe("paid");
        (await app.Host.AvailableAsync(token)).ShouldBe(550);
        (await LastAttemptAsync(token))["result"]!.GetValue<string>().ShouldBe("succeeded");
    }

    private async Task<JsonObject> DeliverAsync(string payload)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Url("/api/billing/webhooks/stripe");
            s.Body.TextIs(payload);
            s.ConfigureHttpContext(c => c.Request.ContentType = "application/json; charset=utf-8");
            s.WithRequestHeader("Stripe-Signature", FakeStripe.Sign(payload, DateTimeOffset.UtcNow));
            s.StatusCodeShouldBe(200);
        });
        return await result.JsonAsync();
    }
}
