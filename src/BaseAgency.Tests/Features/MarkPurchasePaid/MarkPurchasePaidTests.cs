using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Platform;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.MarkPurchasePaid;

/// <summary>The manual payment provider (the default): an operator confirms payment.</summary>
[Collection(AppCollection.Name)]
public sealed class MarkPurchasePaidTests(AppFixture app)
{
    [Fact]
    public async Task A_pack_is_granted_once_when_an_operator_marks_it_paid()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;

        var purchase = await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-500");
        purchase["status"]!.GetValue<string>().ShouldBe("pending");
        purchase["credits"]!.GetValue<int>().ShouldBe(500);
        purchase["amount"]!.GetValue<decimal>().ShouldBe(45.00m);
        purchase["provider"]!.GetValue<string>().ShouldBe("manual");
        var id = purchase["id"]!.GetValue<Guid>();
        purchase["checkoutUrl"]!.GetValue<string>().ShouldBe($"/api/credits/purchases/{id}");
        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50); // nothing until paid

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

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(550);
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
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var id = (await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/purchases/{id}/mark-paid");
            s.As(operatorToken);
            s.StatusCodeShouldBe(200);
        })));

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(150);
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<AuditEntry>().Where(a => a.OrganizationId == customer.Organization.Id && a.Action == "purchase.marked_paid")
            .CountAsync()).ShouldBe(1); // one payment, one audited settlement
    }
}
