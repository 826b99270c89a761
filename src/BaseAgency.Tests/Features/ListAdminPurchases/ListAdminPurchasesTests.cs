using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListAdminPurchases;

[Collection(AppCollection.Name)]
public sealed class ListAdminPurchasesTests(AppFixture app)
{
    [Fact]
    public async Task Operators_page_through_purchases_of_any_organization_by_status()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var bought = new List<Guid>();
        for (var i = 0; i < 3; i++) bought.Add((await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>());
        await app.Host.MarkPaidAsync(bought[0], operatorToken);

        var org = customer.Organization.Id;
        var first = await app.Host.GetAsJson<JsonObject>($"/api/admin/purchases?organizationId={org}&status=pending&limit=1", operatorToken);
        var second = await app.Host.GetAsJson<JsonObject>(
            $"/api/admin/purchases?organizationId={org}&status=pending&limit=1&cursor={first["nextCursor"]}", operatorToken);
        first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(p => p!["id"]!.GetValue<Guid>())
            .ShouldBe([bought[2], bought[1]]); // newest first
        second["nextCursor"].ShouldBeNull();
        var paid = await app.Host.GetAsJson<JsonObject>($"/api/admin/purchases?organizationId={org}&status=paid", operatorToken);
        paid["items"]!.AsArray().Single()!["id"]!.GetValue<Guid>().ShouldBe(bought[0]);
    }

    [Fact]
    public async Task Customers_may_not_list_and_an_unknown_status_is_400()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;

        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/admin/purchases");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        var bad = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/admin/purchases?status=NeedsReview");
            s.As(operatorToken);
            s.StatusCodeShouldBe(400);
        });
        (await bad.ProblemAsync(400, "validation_failed"))["errors"]!["status"]![0]!.GetValue<string>().ShouldContain("needs_review");
    }
}
