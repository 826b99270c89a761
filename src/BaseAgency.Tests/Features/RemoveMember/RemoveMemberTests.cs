using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Caching;
using BaseAgency.Identity;
using Microsoft.Extensions.DependencyInjection;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.RemoveMember;

[Collection(AppCollection.Name)]
public sealed class RemoveMemberTests(AppFixture app)
{
    [Fact]
    public async Task The_last_admin_cannot_be_removed()
    {
        var admin = await app.Host.SignUpAsync();
        var remove = await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/organization/members/{admin.User.Id}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(409);
        });
        await remove.ProblemAsync(409, "last_admin");
    }

    [Fact]
    public async Task A_removed_member_is_signed_out_everywhere()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var member = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Member);
        // Signed in and cached as a member before the removal.
        await app.Host.GetAsJson<JsonObject>("/api/me", member.Tokens.AccessToken);

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
    public async Task A_removal_and_a_role_change_reach_another_node_within_a_second()
    {
        await using var other = await app.StartAnotherNodeAsync();
        await other.Services.GetRequiredService<CacheInvalidationListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var demoted = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Admin);
        var removed = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, Role.Member);
        // Both cached on the other node as they stand now.
        (await other.GetAsJson<JsonObject>("/api/me", demoted.Tokens.AccessToken))["role"]!.GetValue<string>().ShouldBe("admin");
        await other.GetAsJson<JsonObject>("/api/me", removed.Tokens.AccessToken);

        await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "viewer" }).ToUrl($"/api/organization/members/{demoted.UserId}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(200);
        });
        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/organization/members/{removed.UserId}");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(204);
        });

        var deadline = DateTime.UtcNow.AddSeconds(1);
        int removedStatus;
        string demotedRole;
        do
        {
            removedStatus = (await other.Scenario(s =>
            {
                s.Get.Url("/api/me");
                s.As(removed.Tokens.AccessToken);
                s.IgnoreStatusCode();
            })).Context.Response.StatusCode;
            demotedRole = (await other.GetAsJson<JsonObject>("/api/me", demoted.Tokens.AccessToken))["role"]!.GetValue<string>();
        } while ((removedStatus != 401 || demotedRole != "viewer") && DateTime.UtcNow < deadline);
        (removedStatus, demotedRole).ShouldBe((401, "viewer"));
    }

    [Fact]
    public async Task Another_organizations_member_is_404()
    {
        var ours = await app.Host.SignUpAsync();
        var theirs = await app.Host.SignUpAsync();

        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/organization/members/{theirs.User.Id}");
            s.As(ours.Tokens.AccessToken);
            s.StatusCodeShouldBe(404);
        });

        var members = await app.Host.GetAsJson<JsonObject>("/api/organization/members", ours.Tokens.AccessToken);
        members["items"]!.AsArray().Select(m => m!["id"]!.GetValue<Guid>()).ShouldBe([ours.User.Id]);
    }
}
