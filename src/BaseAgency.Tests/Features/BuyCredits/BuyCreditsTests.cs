using Alba;
using BaseAgency.Billing;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.BuyCredits;

/// <summary>Buying credit packs with the manual payment provider (the default; an operator confirms payment).</summary>
[Collection(AppCollection.Name)]
public sealed class BuyCreditsTests(AppFixture app)
{
    [Fact]
    public async Task Buying_is_for_admins_and_purchases_are_private_to_their_organization()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter); // Free has room for one member only
        var member = await app.Host.AddMemberAsync(customer.Tokens.AccessToken, Role.Member);
        var stranger = await app.Host.SignUpAsync();
        var id = (await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();

        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { packId = "credits-100" }).ToUrl("/api/credits/purchases");
            s.As(member.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        var notYours = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/credits/purchases/{id}");
            s.As(stranger.Tokens.AccessToken);
            s.StatusCodeShouldBe(404);
        });
        await notYours.ProblemAsync(404, "not_found");
        await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/purchases/{id}/mark-paid");
            s.As(customer.Tokens.AccessToken); // an organization admin is not an operator
            s.StatusCodeShouldBe(403);
        });
        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50);
    }

    [Fact]
    public async Task Unknown_packs_and_purchases_are_clear_problems()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;

        var unknown = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { packId = "credits-1000000" }).ToUrl("/api/credits/purchases");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(422);
        });
        await unknown.ProblemAsync(422, "unknown_pack");
        var empty = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { packId = "" }).ToUrl("/api/credits/purchases");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(400);
        });
        (await empty.ProblemAsync(400, "validation_failed"))["errors"]!["packId"].ShouldNotBeNull();
        var missing = await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/purchases/{Guid.NewGuid()}/mark-paid");
            s.As(operatorToken);
            s.StatusCodeShouldBe(404);
        });
        await missing.ProblemAsync(404, "not_found");
    }
}

/// <summary>Buying credits through Stripe Checkout, against a local fake of Stripe's API.</summary>
[Collection(StripeAppCollection.Name)]
public sealed class BuyCreditsWithStripeTests(StripeAppFixture app)
{
    private FakeStripe Stripe => app.Stripe;

    [Fact]
    public async Task A_purchase_opens_a_checkout_session_that_carries_the_purchase_id()
    {
        var customer = await app.Host.SignUpAsync();
        var purchase = await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-500");
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
    public async Task Stripe_errors_are_retried_with_the_same_idempotency_key_then_answered_503()
    {
        var customer = await app.Host.SignUpAsync();

        Stripe.FailuresToInject = 1; // one 500, then Stripe answers: the retry reuses the key, one session
        var purchase = await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100");
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
}
