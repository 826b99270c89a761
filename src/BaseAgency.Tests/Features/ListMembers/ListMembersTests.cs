using System.Text.Json.Nodes;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListMembers;

[Collection(AppCollection.Name)]
public sealed class ListMembersTests(AppFixture app)
{
    [Fact]
    public async Task A_viewer_can_read_the_member_list()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var viewer = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Viewer);
        var members = await app.Host.GetAsJson<JsonObject>("/api/organization/members", viewer.Tokens.AccessToken);
        members["items"]!.AsArray().Count.ShouldBe(2);
    }
}
