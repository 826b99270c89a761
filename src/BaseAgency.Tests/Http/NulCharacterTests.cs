using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Http;

/// <summary>PostgreSQL cannot store a NUL character: one anywhere in a request is a 400, never a 500, and stores nothing.</summary>
[Collection(AppCollection.Name)]
public sealed class NulCharacterTests(AppFixture app)
{
    [Fact]
    public async Task A_nul_in_a_json_string_is_malformed_json()
    {
        var email = Api.NewEmail();
        var signUp = await app.Host.Scenario(s =>
        {
            s.Post.Text($$"""{"email":"{{email}}","password":"{{Api.Password}}","name":"Jo\u0000se","organizationName":"Acme"}""")
                .ToUrl("/api/auth/signup");
            s.ConfigureHttpContext(c => c.Request.ContentType = "application/json");
            s.StatusCodeShouldBe(400);
        });
        await signUp.ProblemAsync(400, "malformed_json");
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email, password = Api.Password }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(401); // nothing was stored
        });

        var customer = await app.Host.SignUpAsync();
        var prompt = await app.Host.Scenario(s =>
        {
            s.Post.Text("""{"prompt":"a fox\u0000","tags":["x\u0000"]}""").ToUrl("/api/generations/image");
            s.ConfigureHttpContext(c => c.Request.ContentType = "application/json");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(400);
        });
        await prompt.ProblemAsync(400, "malformed_json");
    }

    [Fact]
    public async Task A_null_in_a_list_is_malformed_json()
    {
        var customer = await app.Host.SignUpAsync();
        var tags = await app.Host.Scenario(s =>
        {
            s.Post.Text("""{"prompt":"a fox","tags":["ok",null]}""").ToUrl("/api/generations/image");
            s.ConfigureHttpContext(c => c.Request.ContentType = "application/json");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(400);
        });
        await tags.ProblemAsync(400, "malformed_json");
    }

    [Fact]
    public async Task A_nul_in_a_query_value_is_refused_before_any_route()
    {
        var customer = await app.Host.SignUpAsync();
        foreach (var url in new[] { "/api/audit-logs?action=%00", "/api/audit-logs?resourceId=a%00b", "/api/jobs?createdFrom=%00" })
        {
            var refused = await app.Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.As(customer.Tokens.AccessToken);
                s.StatusCodeShouldBe(400);
            });
            await refused.ProblemAsync(400, "invalid_characters");
        }
    }
}
