using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Organizations;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.SignUp;

[Collection(AppCollection.Name)]
public sealed class SignUpTests(AppFixture app)
{
    [Fact]
    public async Task Sign_up_creates_the_organization_its_admin_and_a_free_subscription()
    {
        var request = Api.NewSignUp(organization: "Três Irmãos Criativos");
        var signedUp = await app.Host.SignUpAsync(request);

        signedUp.User.Email.ShouldBe(request.Email);
        signedUp.User.Role.ShouldBe(BaseAgency.Identity.Role.Admin);
        signedUp.Organization.Slug.ShouldStartWith("tres-irmaos-criativos");
        signedUp.Tokens.AccessToken.ShouldNotBeNullOrWhiteSpace();
        signedUp.Tokens.ExpiresIn.ShouldBe(900);

        var me = await app.Host.GetAsJson<JsonObject>("/api/me", signedUp.Tokens.AccessToken);
        me["role"]!.GetValue<string>().ShouldBe("admin");
        me["organization"]!["id"]!.GetValue<Guid>().ShouldBe(signedUp.Organization.Id);
        me["plan"]!["slug"]!.GetValue<string>().ShouldBe("free");
        me["plan"]!["limits"]!["maxTeamMembers"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task The_free_credits_commit_with_the_organization_so_the_admin_can_generate_at_once()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(Api.NewSignUp()).ToUrl("/api/auth/signup");
            s.StatusCodeShouldBe(201);
        });
        var token = (await result.ReadAsJsonAsync<BaseAgency.Features.SignUp.SignUpResponse>())!.Tokens.AccessToken;

        // No waiting for queued work: the answer to sign-up means the credits are there.
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        balance["available"]!.GetValue<int>().ShouldBe(50);
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { prompt = "a first picture", width = 256, height = 256 }).ToUrl("/api/generations/image");
            s.As(token);
            s.StatusCodeShouldBe(202);
        });
    }

    [Fact]
    public async Task Racing_sign_ups_with_one_address_make_one_account_and_log_no_password()
    {
        var email = Api.NewEmail();
        var password = $"racing-password-{Guid.NewGuid():N}";

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => app.Host.Scenario(s =>
        {
            s.Post.Json(Api.NewSignUp(email, organization: $"Race {i} {Guid.NewGuid():N}"[..20], password: password)).ToUrl("/api/auth/signup");
            s.IgnoreStatusCode();
        })));

        answers.Count(a => a.Context.Response.StatusCode == 201).ShouldBe(1);
        foreach (var lost in answers.Where(a => a.Context.Response.StatusCode != 201)) await lost.ProblemAsync(409, "email_taken");
        // A command that fails is logged whole by Wolverine: its password must print as nothing.
        app.Logs.Lines.ShouldNotContain(l => l.Message.Contains(password) || (l.Exception != null && l.Exception.ToString().Contains(password)));
    }

    [Fact]
    public async Task Organizations_signing_up_with_one_name_at_once_all_get_in_with_their_own_slugs()
    {
        var name = $"Same Name {Guid.NewGuid():N}"[..24];

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Json(Api.NewSignUp(organization: name)).ToUrl("/api/auth/signup");
            s.StatusCodeShouldBe(201);
        })));

        var slugs = new List<string>();
        foreach (var answer in answers) slugs.Add((await answer.ReadAsJsonAsync<BaseAgency.Features.SignUp.SignUpResponse>())!.Organization.Slug);
        slugs.Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public async Task Duplicate_email_is_rejected_whatever_its_case()
    {
        var email = Api.NewEmail();
        await app.Host.SignUpAsync(Api.NewSignUp(email));

        var again = await app.Host.Scenario(s =>
        {
            s.Post.Json(Api.NewSignUp(email.ToUpperInvariant())).ToUrl("/api/auth/signup");
            s.StatusCodeShouldBe(409);
        });
        await again.ProblemAsync(409, "email_taken");
    }

    [Fact]
    public async Task Invalid_input_gets_field_errors()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "", email = "not-an-email", password = "short", organizationName = "A" }).ToUrl("/api/auth/signup");
            s.StatusCodeShouldBe(400);
        });
        var problem = await result.ProblemAsync(400, "validation_failed");
        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["name", "email", "password", "organizationName"], ignoreOrder: true);
    }

    [Fact]
    public async Task Two_organizations_with_the_same_name_get_different_slugs()
    {
        var name = $"Same Name {Guid.NewGuid():N}"[..24];
        var first = await app.Host.SignUpAsync(Api.NewSignUp(organization: name));
        var second = await app.Host.SignUpAsync(Api.NewSignUp(organization: name));
        second.Organization.Slug.ShouldNotBe(first.Organization.Slug);
        second.Organization.Slug.ShouldStartWith(first.Organization.Slug);
    }

    [Fact]
    public async Task Passwords_are_stored_hashed()
    {
        var request = Api.NewSignUp();
        var signedUp = await app.Host.SignUpAsync(request);
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(signedUp.Organization.Id);
        var user = await session.LoadAsync<BaseAgency.Identity.User>(signedUp.User.Id);
        user!.PasswordHash.ShouldNotContain(request.Password);
        user.PasswordHash.Length.ShouldBeGreaterThan(40);
    }
}
