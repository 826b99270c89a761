using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Ledger;
using BaseAgency.Platform;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.RefundPurchase;

/// <summary>The manual payment provider: the operator gives the money back by hand and records it here.</summary>
[Collection(AppCollection.Name)]
public sealed class RefundPurchaseTests(AppFixture app)
{
    [Fact]
    public async Task A_paid_purchase_is_refunded_its_credits_taken_back_from_paid_credits_and_audited()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorOrg = await app.Host.OperatorAsync();
        var operatorToken = operatorOrg.Tokens.AccessToken;
        var id = await PaidPurchaseAsync(customer.Tokens.AccessToken, operatorToken);
        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(150);

        var refunded = await (await app.Host.RefundAsync(id, operatorToken, 200)).JsonAsync();
        refunded["status"]!.GetValue<string>().ShouldBe("refunded");
        (await (await app.Host.RefundAsync(id, operatorToken, 200)).JsonAsync())["status"]!.GetValue<string>().ShouldBe("refunded"); // a replay

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(50); // the plan's 50 are untouched
        (await app.Host.AccountAsync(customer.Organization.Id)).Buckets.Where(b => b.Kind == BucketKind.Purchased).Sum(b => b.Remaining).ShouldBe(0);
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=adjustment", customer.Tokens.AccessToken);
        var line = statement["items"]!.AsArray().Single()!;
        line["amount"]!.GetValue<int>().ShouldBe(-100);
        line["description"]!.GetValue<string>().ShouldContain(id.ToString());

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var audit = await session.Query<AuditEntry>().Where(a => a.OrganizationId == customer.Organization.Id && a.Action == "purchase.refunded").ToListAsync();
        audit.Single().ActorId.ShouldBe(operatorOrg.User.Id);
        audit.Single().Details.ShouldContain("manual-refund:");
        audit.Single().Details.ShouldContain("100 credits taken back");
    }

    [Fact]
    public async Task Credits_already_spent_cannot_be_taken_back_so_the_refund_is_409_and_nothing_changes()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var id = await PaidPurchaseAsync(customer.Tokens.AccessToken, operatorToken);
        // 120 of the 150 go: the plan's 50 first (they expire first), then 70 of the 100 paid.
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { amount = -120, reason = "Spent elsewhere" }).ToUrl($"/api/admin/organizations/{customer.Organization.Id}/credits/adjustments");
            s.As(operatorToken);
            s.StatusCodeShouldBe(201);
        });

        var problem = await (await app.Host.RefundAsync(id, operatorToken, 409)).ProblemAsync(409, "credits_spent");
        problem["detail"]!.GetValue<string>().ShouldContain("30 paid credits are available");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(30);
        var purchase = await app.Host.GetAsJson<JsonObject>($"/api/credits/purchases/{id}", customer.Tokens.AccessToken);
        purchase["status"]!.GetValue<string>().ShouldBe("paid");
    }

    [Fact]
    public async Task Only_money_received_can_be_refunded_and_only_by_an_operator()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var pending = (await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();

        await (await app.Host.RefundAsync(pending, operatorToken, 409)).ProblemAsync(409, "nothing_to_refund");
        await (await app.Host.RefundAsync(Guid.NewGuid(), operatorToken, 404)).ProblemAsync(404, "not_found");
        await app.Host.RefundAsync(pending, customer.Tokens.AccessToken, 403);
    }

    private async Task<Guid> PaidPurchaseAsync(string customerToken, string operatorToken)
    {
        var id = (await app.Host.BuyAsync(customerToken, "credits-100"))["id"]!.GetValue<Guid>();
        await app.Host.MarkPaidAsync(id, operatorToken);
        return id;
    }
}
