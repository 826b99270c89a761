using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListCreditPacks;

[Collection(AppCollection.Name)]
public sealed class ListCreditPacksTests(AppFixture app)
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
}
