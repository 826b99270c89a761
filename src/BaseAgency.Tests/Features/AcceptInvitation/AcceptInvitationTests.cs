using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.AcceptInvitation;

[Collection(AppCollection.Name)]
public sealed class AcceptInvitationTests(AppFixture app)
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
    public async Task An_invitation_works_once()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, PlanSlug.Starter);
        var invited = await (await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = Api.NewEmail(), role = "member" }).ToUrl("/api/organization/invitations");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(201);
        })).JsonAsync();
        var token = invited["token"]!.GetValue<string>();

        await Accept(token, 201);
        var again = await Accept(token, 404);
        await again.ProblemAsync(404, "invitation_not_found");
        await (await Accept("not-a-token", 404)).ProblemAsync(404, "invitation_not_found");
    }

    private Task<IScenarioResult> Accept(string token, int status) => app.Host.Scenario(s =>
    {
        s.Post.Json(new { token, name = "Someone", password = Api.Password }).ToUrl("/api/auth/accept-invitation");
        s.StatusCodeShouldBe(status);
    });
}
