using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListPlans;

[Collection(AppCollection.Name)]
public sealed class ListPlansTests(AppFixture app)
{
    [Fact]
    public async Task The_seeds_five_plans_are_public()
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/api/plans"));
        var plans = (await result.JsonAsync())["items"]!.AsArray();

        plans.Select(p => p!["id"]!.GetValue<string>()).ShouldBe(["free", "starter", "professional", "business", "enterprise"]);
        var starter = plans[1]!;
        starter["priceMonthlyCents"]!.GetValue<int>().ShouldBe(4900);
        starter["creditsMonthly"]!.GetValue<int>().ShouldBe(500);
        starter["limits"]!["maxVideoDuration"]!.GetValue<int>().ShouldBe(5);
        starter["features"]!["videoGeneration"]!.GetValue<bool>().ShouldBeTrue();
        plans[4]!["limits"]!["imagesPerMonth"]!.GetValue<int>().ShouldBe(-1);
    }
}
