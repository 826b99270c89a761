using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace BaseAgency.Tests.Features.Billing;

/// <summary>Buying credit packs with the manual payment provider (the default; an operator confirms payment).</summary>
[Collection(AppCollection.Name)]
public sealed class BuyCreditsTests(AppFixture app)
{
    [Fact]
    public async Task Credit_packs_are_public_configuration()
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/api/credits/packs"));
        var packs = (await result.JsonAsync<JsonArray>()).Select(p => p!.AsObject()).ToList();

        packs.Select(p => p["id"]!.GetValue<string>()).ShouldBe(BillingOptions.DefaultPacks.Select(p => p.Id));
        packs[0]["credits"]!.GetValue<int>().ShouldBe(100);
        packs[0]["price"]!.GetValue<decimal>().ShouldBe(10.00m);
        packs[0]["currency"]!.GetValue<string>().ShouldBe("USD");
    }

    [Fact]
    public async Task A_pack_is_granted_once_when_an_operator_marks_it_paid()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = await OperatorAsync();

        var purchase = await BuyAsync(customer.Tokens.AccessToken, "credits-500");
        purchase["status"]!.GetValue<string>().ShouldBe("pending");
        purchase["credits"]!.GetValue<int>().ShouldBe(500);
        purchase["amount"]!.GetValue<decimal>().ShouldBe(45.00m);
        purchase["provider"]!.GetValue<string>().ShouldBe("manual");
        var id = purchase["id"]!.GetValue<Guid>();
        purchase["checkoutUrl"]!.GetValue<string>().ShouldBe($"/api/credits/purchases/{id}");
        (await BalanceAsync(customer.Tokens.AccessToken)).ShouldBe(50); // nothing until paid

        // Marked paid twice (a double click, two operators): credits arrive once.
        for (var i = 0; i < 2; i++)
        {
            var paid = await app.Host.Scenario(s =>
            {
                s.Post.Url($"/api/admin/purchases/{id}/mark-paid");
                s.As(operatorToken);
                s.StatusCodeShouldBe(200);
            });
            (await paid.JsonAsync())["status"]!.GetValue<string>().ShouldBe("paid");
        }

        (await BalanceAsync(customer.Tokens.AccessToken)).ShouldBe(550);
        var state = await app.Host.GetAsJson<JsonObject>($"/api/credits/purchases/{id}", customer.Tokens.AccessToken);
        state["status"]!.GetValue<string>().ShouldBe("paid");
        state["completedAt"].ShouldNotBeNull();
        state["checkoutUrl"].ShouldBeNull(); // nothing left to pay

        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=purchase", customer.Tokens.AccessToken);
        var line = statement["items"]!.AsArray().Single()!;
        line["amount"]!.GetValue<int>().ShouldBe(500);
        line["balanceAfter"]!.GetValue<int>().ShouldBe(550);

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<AuditEntry>().Where(a => a.OrganizationId == customer.Organization.Id && a.Action == "purchase.marked_paid")
            .CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_confirmations_of_one_purchase_grant_once()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = await OperatorAsync();
        var id = (await BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/purchases/{id}/mark-paid");
            s.As(operatorToken);
            s.StatusCodeShouldBe(200);
        })));

        (await BalanceAsync(customer.Tokens.AccessToken)).ShouldBe(150);
    }

    [Fact]
    public async Task Buying_is_for_admins_and_purchases_are_private_to_their_organization()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter); // Free has room for one member only
        var member = await app.Host.AddMemberAsync(customer.Tokens.AccessToken, Role.Member);
        var stranger = await app.Host.SignUpAsync();
        var id = (await BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();

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
        (await BalanceAsync(customer.Tokens.AccessToken)).ShouldBe(50);
    }

    [Fact]
    public async Task Unknown_packs_and_purchases_are_clear_problems()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = await OperatorAsync();

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

    private async Task<int> BalanceAsync(string token) =>
        (await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token))["available"]!.GetValue<int>();

    private async Task<string> OperatorAsync()
    {
        var platform = await app.Host.SignUpAsync();
        await app.Host.MakeSuperAdminAsync(platform.Organization.Id, platform.User.Id);
        return platform.Tokens.AccessToken;
    }
}
