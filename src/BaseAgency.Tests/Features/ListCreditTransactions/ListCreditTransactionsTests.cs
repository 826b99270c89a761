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
        first["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).ShouldBe(["usage", "hold", "purchase"]);
        var usage = first["items"]![0]!;
        (usage["amount"]!.GetValue<int>(), usage["held"]!.GetValue<int>(), usage["reasonCode"]!.GetValue<string>()).ShouldBe((-4, -4, "completed"));
        usage["buckets"]!.ToJsonString().ShouldBe("""[{"kind":"plan","amount":-4}]""");
        var cursor = first["nextCursor"]!.GetValue<Guid>();

        var second = await app.Host.GetAsJson<JsonObject>($"/api/credits/transactions?limit=3&cursor={cursor}", token);
        second["items"]!.AsArray().Select(i => i!["amount"]!.GetValue<int>()).ShouldBe([13, 12, 11]);
        var third = await app.Host.GetAsJson<JsonObject>($"/api/credits/transactions?limit=3&cursor={second["nextCursor"]!.GetValue<Guid>()}", token);
        third["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).ShouldBe(["purchase", "subscription"]);
        third["nextCursor"].ShouldBeNull();

        var purchases = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=purchase", token);
        purchases["items"]!.AsArray().Count.ShouldBe(5);
    }

    [Fact]
    public async Task The_reason_codes_are_an_enum_in_the_OpenAPI_document_on_statement_lines_and_jobs()
    {
        var doc = await (await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).JsonAsync();
        var schemas = doc["components"]!["schemas"]!;

        schemas["CreditReason"]!["enum"]!.AsArray().Where(e => e is not null).Select(e => e!.GetValue<string>()).ShouldBe([
            "completed", "provider_error", "provider_timeout", "content_policy", "canceled_before_start", "canceled_after_start",
            "internal_error", "reservation_timeout"]);
        schemas["CreditTransactionView"]!["properties"]!["reasonCode"]!.ToJsonString().ShouldContain("#/components/schemas/CreditReason");
        schemas["JobView"]!["properties"]!["creditReasonCode"]!.ToJsonString().ShouldContain("#/components/schemas/CreditReason");
        schemas["CreditKind"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(["plan", "paid", "promotional"]);
    }
}
