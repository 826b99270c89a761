using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.Organization;

[Collection(AppCollection.Name)]
public sealed class MembersTests(AppFixture app)
{
    [Fact]
    public async Task An_invited_member_joins_with_the_invited_role()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);

        var (userId, email, tokens) = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Manager);

        var me = await app.Host.GetAsJson<JsonObject>("/api/me", tokens.AccessToken);
        me["role"]!.GetValue<string>().ShouldBe("manager");
        me["organization"]!["id"]!.GetValue<Guid>().ShouldBe(admin.Organization.Id);
        var members = await app.Host.GetAsJson<JsonObject>("/api/organization/members", admin.Tokens.AccessToken);
        members["items"]!.AsArray().Select(m => m!["email"]!.GetValue<string>()).ShouldBe([admin.User.Email, email]);
        await app.Host.LoginAsync(email);
        userId.ShouldNotBe(Guid.Empty);
    }

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
    public async Task A_viewer_can_read_the_member_list()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var viewer = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Viewer);
        var members = await app.Host.GetAsJson<JsonObject>("/api/organization/members", viewer.Tokens.AccessToken);
        members["items"]!.AsArray().Count.ShouldBe(2);
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

    [Fact]
    public async Task An_invitation_works_once()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var invited = await (await Invite(admin.Tokens.AccessToken, Api.NewEmail(), 201)).JsonAsync();
        var token = invited["token"]!.GetValue<string>();

        await Accept(token, 201);
        var again = await Accept(token, 404);
        await again.ProblemAsync(404, "invitation_not_found");
        await (await Accept("not-a-token", 404)).ProblemAsync(404, "invitation_not_found");
    }

    [Fact]
    public async Task A_role_change_takes_effect_on_the_members_next_request()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var member = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Member);

        var changed = await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "viewer" }).ToUrl($"/api/organization/members/{member.UserId}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(200);
        });
        (await changed.JsonAsync())["role"]!.GetValue<string>().ShouldBe("viewer");

        var me = await app.Host.GetAsJson<JsonObject>("/api/me", member.Tokens.AccessToken);
        me["role"]!.GetValue<string>().ShouldBe("viewer");
    }

    [Fact]
    public async Task The_last_admin_cannot_be_demoted_or_removed()
    {
        var admin = await app.Host.SignUpAsync();
        var demote = await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "member" }).ToUrl($"/api/organization/members/{admin.User.Id}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(409);
        });
        await demote.ProblemAsync(409, "last_admin");

        var remove = await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/organization/members/{admin.User.Id}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(409);
        });
        await remove.ProblemAsync(409, "last_admin");
    }

    [Fact]
    public async Task An_admin_cannot_grant_super_admin()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var member = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Member);
        var result = await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "super_admin" }).ToUrl($"/api/organization/members/{member.UserId}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        await result.ProblemAsync(403, "role_not_assignable");
    }

    [Fact]
    public async Task A_removed_member_is_signed_out_everywhere()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var member = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Member);

        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/organization/members/{member.UserId}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(204);
        });

        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/me");
            s.As(member.Tokens.AccessToken);
            s.StatusCodeShouldBe(401);
        });
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { refreshToken = member.Tokens.RefreshToken }).ToUrl("/api/auth/refresh");
            s.StatusCodeShouldBe(401);
        });
        var members = await app.Host.GetAsJson<JsonObject>("/api/organization/members", admin.Tokens.AccessToken);
        members["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Another_organizations_member_is_404()
    {
        var ours = await app.Host.SignUpAsync();
        var theirs = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(theirs.Organization.Id, PlanSlug.Starter);
        var theirMember = await app.Host.AddMemberAsync(theirs.Tokens.AccessToken, Role.Member);

        var change = await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "viewer" }).ToUrl($"/api/organization/members/{theirMember.UserId}");
            s.As(ours.Tokens.AccessToken);
            s.StatusCodeShouldBe(404);
        });
        await change.ProblemAsync(404, "not_found");
        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/organization/members/{theirs.User.Id}");
            s.As(ours.Tokens.AccessToken);
            s.StatusCodeShouldBe(404);
        });

        var members = await app.Host.GetAsJson<JsonObject>("/api/organization/members", ours.Tokens.AccessToken);
        members["items"]!.AsArray().Select(m => m!["id"]!.GetValue<Guid>()).ShouldBe([ours.User.Id]);
        var theirMe = await app.Host.GetAsJson<JsonObject>("/api/me", theirMember.Tokens.AccessToken);
        theirMe["role"]!.GetValue<string>().ShouldBe("member");
    }

    private Task<IScenarioResult> Invite(string token, string email, int status) => app.Host.Scenario(s =>
    {
        s.Post.Json(new { email, role = "member" }).ToUrl("/api/organization/invitations");
        s.As(token);
        s.StatusCodeShouldBe(status);
    });

    private Task<IScenarioResult> Accept(string token, int status) => app.Host.Scenario(s =>
    {
        s.Post.Json(new { token, name = "Someone", password = Api.Password }).ToUrl("/api/auth/accept-invitation");
        s.StatusCodeShouldBe(status);
    });
}
