using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.InviteMember;

[Collection(AppCollection.Name)]
public sealed class InviteMemberTests(AppFixture app)
{
    [Fact]
    public async Task A_viewer_cannot_invite()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var viewer = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Viewer);

        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = Api.NewEmail(), role = "member" }).ToUrl("/api/organization/invitations");
            s.As(viewer.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        await result.ProblemAsync(403, "forbidden");
    }

    [Fact]
    public async Task The_free_plan_allows_no_second_member()
    {
        var admin = await app.Host.SignUpAsync();
        var result = await Invite(admin.Tokens.AccessToken, Api.NewEmail(), 403);
        var problem = await result.ProblemAsync(403, "team_member_limit_reached");
        problem["limit"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Pending_invitations_count_towards_the_member_limit()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter); // 3 members
        await Invite(admin.Tokens.AccessToken, Api.NewEmail(), 201);
        await Invite(admin.Tokens.AccessToken, Api.NewEmail(), 201);

        var third = await Invite(admin.Tokens.AccessToken, Api.NewEmail(), 403);
        var problem = await third.ProblemAsync(403, "team_member_limit_reached");
        problem["current"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Inviting_an_existing_account_is_409()
    {
        var admin = await app.Host.SignUpAsync();
        var other = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var result = await Invite(admin.Tokens.AccessToken, other.User.Email, 409);
        await result.ProblemAsync(409, "email_taken");
    }

    private Task<IScenarioResult> Invite(string token, string email, int status) => app.Host.Scenario(s =>
    {
        s.Post.Json(new { email, role = "member" }).ToUrl("/api/organization/invitations");
        s.As(token);
        s.StatusCodeShouldBe(status);
    });
}
