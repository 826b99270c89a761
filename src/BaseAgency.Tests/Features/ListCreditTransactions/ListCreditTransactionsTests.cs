using System.Text.Json.Nodes;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListCreditTransactions;

[Collection(AppCollection.Name)]
public sealed class ListCreditTransactionsTests(AppFixture app)
{
    [Fact]
    public async Task The_statement_pages_newest_first_and_filters_by_type()
    {
        var signedUp = await app.Host.SignUpAsync();
        var org = signedUp.Organization.Id;
        for (var i = 0; i < 5; i++) await app.Host.PurchaseAsync(org, Guid.NewGuid(), 10 + i);
        var reserved = await app.Host.ReserveAsync(org, 4, "page-job");
        await app.Host.CaptureAsync(org, reserved.Reservation!.Id, 4);

        var token = signedUp.Tokens.AccessToken;
        var first = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?limit=3", token);
        first["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).ShouldBe(["usage", "purchase", "purchase"]);
        first["items"]![0]!["amount"]!.GetValue<int>().ShouldBe(-4);
        var cursor = first["nextCursor"]!.GetValue<Guid>();

        var second = await app.Host.GetAsJson<JsonObject>($"/api/credits/transactions?limit=3&cursor={cursor}", token);
        second["items"]!.AsArray().Select(i => i!["amount"]!.GetValue<int>()).ShouldBe([12, 11, 10]);
        var third = await app.Host.GetAsJson<JsonObject>($"/api/credits/transactions?limit=3&cursor={second["nextCursor"]!.GetValue<Guid>()}", token);
        third["items"]!.AsArray().Single()!["type"]!.GetValue<string>().ShouldBe("subscription");
        third["nextCursor"].ShouldBeNull();

        var purchases = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=purchase", token);
        purchases["items"]!.AsArray().Count.ShouldBe(5);
    }
}
