using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ChangeMemberRole;

[Collection(AppCollection.Name)]
public sealed class ChangeMemberRoleTests(AppFixture app)
{
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
    public async Task A_role_change_reaches_a_member_whose_standing_was_already_cached()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var member = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Manager);
        (await app.Host.GetAsJson<JsonObject>("/api/me", member.Tokens.AccessToken))["role"]!.GetValue<string>().ShouldBe("manager");

        await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "viewer" }).ToUrl($"/api/organization/members/{member.UserId}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(200);
        });

        (await app.Host.GetAsJson<JsonObject>("/api/me", member.Tokens.AccessToken))["role"]!.GetValue<string>().ShouldBe("viewer");
    }

    [Fact]
    public async Task The_last_admin_cannot_be_demoted()
    {
        var admin = await app.Host.SignUpAsync();
        var demote = await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "member" }).ToUrl($"/api/organization/members/{admin.User.Id}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(409);
        });
        await demote.ProblemAsync(409, "last_admin");
    }

    [Fact]
    public async Task Two_admins_demoting_each_other_at_once_leave_one_admin()
    {
        for (var trial = 0; trial < 6; trial++)
        {
            var first = await app.Host.SignUpAsync();
            await app.Host.SetPlanAsync(first.Organization.Id, PlanSlug.Starter);
            var second = await app.Host.AddMemberAsync(first.Tokens.AccessToken, Role.Admin);

            var answers = await Task.WhenAll(
                Demote(first.Tokens.AccessToken, second.UserId),
                Demote(second.Tokens.AccessToken, first.User.Id));

            // The loser is refused as the last admin (409), or, when the winner committed before the loser's request was
            // authorized, as no longer an admin (403).
            answers.Count(a => a.Context.Response.StatusCode == 200).ShouldBe(1);
            answers.Single(a => a.Context.Response.StatusCode != 200).Context.Response.StatusCode.ShouldBeOneOf(403, 409);
            var members = await app.Host.GetAsJson<JsonObject>("/api/organization/members",
                answers[0].Context.Response.StatusCode == 200 ? first.Tokens.AccessToken : second.Tokens.AccessToken);
            members["items"]!.AsArray().Count(m => m!["role"]!.GetValue<string>() == "admin").ShouldBe(1);
        }

        Task<IScenarioResult> Demote(string token, Guid member) => app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "member" }).ToUrl($"/api/organization/members/{member}");
            s.As(token);
            s.IgnoreStatusCode();
        });
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
        var theirMe = await app.Host.GetAsJson<JsonObject>("/api/me", theirMember.Tokens.AccessToken);
        theirMe["role"]!.GetValue<string>().ShouldBe("member");
    }
}
