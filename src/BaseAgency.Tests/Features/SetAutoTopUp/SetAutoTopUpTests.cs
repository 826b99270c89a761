using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.SetAutoTopUp;

[Collection(AppCollection.Name)]
public sealed class SetAutoTopUpTests(AppFixture app)
{
    [Fact]
    public async Task Auto_top_up_is_off_until_an_admin_sets_it_and_then_shows_on_the_balance()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        (await app.Host.GetAsJson<JsonObject>("/api/credits/auto-top-up", token))["enabled"]!.GetValue<bool>().ShouldBeFalse();

        var set = await app.Host.SetAutoTopUpAsync(token, 25, "credits-500");
        set["enabled"]!.GetValue<bool>().ShouldBeTrue();
        set["thresholdCredits"]!.GetValue<int>().ShouldBe(25);
        set["packId"]!.GetValue<string>().ShouldBe("credits-500");
        set["lastAttempt"].ShouldBeNull(); // nothing bought yet: 50 credits are not below 25

        var read = await app.Host.GetAsJson<JsonObject>("/api/credits/auto-top-up", token);
        read.ToJsonString().ShouldBe(set.ToJsonString());
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        balance["autoTopUp"]!["thresholdCredits"]!.GetValue<int>().ShouldBe(25);

        (await app.Host.SetAutoTopUpAsync(token, 25, "credits-500", enabled: false))["enabled"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Only_admins_set_it_and_viewers_read_it()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter); // Free has room for one member only
        var member = await app.Host.AddMemberAsync(customer.Tokens.AccessToken, Role.Member);

        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { enabled = true, thresholdCredits = 10, packId = "credits-100" }).ToUrl("/api/credits/auto-top-up");
            s.As(member.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        await app.Host.GetAsJson<JsonObject>("/api/credits/auto-top-up", member.Tokens.AccessToken);
    }

    [Theory]
    [InlineData(0, "credits-100", "thresholdCredits")]
    [InlineData(-5, "credits-100", "thresholdCredits")]
    [InlineData(1_000_001, "credits-100", "thresholdCredits")]
    [InlineData(10, "", "packId")]
    public async Task Bad_settings_are_400_with_the_field(int thresholdCredits, string packId, string field)
    {
        var customer = await app.Host.SignUpAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Put.Json(new { enabled = true, thresholdCredits, packId }).ToUrl("/api/credits/auto-top-up");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(400);
        });
        (await result.ProblemAsync(400, "validation_failed"))["errors"]![field].ShouldNotBeNull();
    }

    [Fact]
    public async Task A_pack_not_on_sale_is_422_and_stores_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Put.Json(new { enabled = true, thresholdCredits = 10, packId = "credits-1000000" }).ToUrl("/api/credits/auto-top-up");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(422);
        });
        await result.ProblemAsync(422, "unknown_pack");
        (await app.Host.GetAsJson<JsonObject>("/api/credits/auto-top-up", customer.Tokens.AccessToken))["enabled"]!.GetValue<bool>().ShouldBeFalse();
    }
}
