using System.Text.Json.Nodes;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.VerifyLedger;

[Collection(AppCollection.Name)]
public sealed class VerifyLedgerTests(AppFixture app)
{
    [Fact]
    public async Task The_ledger_verifies_against_a_replay_after_mixed_movements()
    {
        var signedUp = await app.Host.SignUpAsync();
        var org = signedUp.Organization.Id;
        await app.Host.PurchaseAsync(org, Guid.NewGuid(), 30);
        var a = await app.Host.ReserveAsync(org, 25, "v-1");
        var b = await app.Host.ReserveAsync(org, 40, "v-2");
        await app.Host.CaptureAsync(org, a.Reservation!.Id, 20);
        await app.Host.ReleaseAsync(org, b.Reservation!.Id);
        await app.Host.GrantAsync(org, 3, "bonus-v");

        var verify = await app.Host.GetAsJson<JsonObject>("/api/credits/ledger/verify", signedUp.Tokens.AccessToken);
        verify["consistent"]!.GetValue<bool>().ShouldBeTrue(verify.ToJsonString());
        verify["balance"]!.GetValue<int>().ShouldBe(50 + 30 - 20 + 3);
    }

    [Fact]
    public async Task Only_an_admin_can_verify_the_ledger()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, BaseAgency.Plans.PlanSlug.Starter);
        var viewer = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, BaseAgency.Identity.Role.Viewer);
        await app.Host.GetAsJson<JsonObject>("/api/credits/ledger/verify", viewer.Tokens.AccessToken, 403);
        await app.Host.GetAsJson<JsonObject>("/api/credits/balance", viewer.Tokens.AccessToken);
    }
}
