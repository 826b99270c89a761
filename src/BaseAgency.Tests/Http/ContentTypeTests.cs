using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Http;

/// <summary>A JSON route gets JSON in UTF-8, or a 415 problem: never a 500, never an empty answer.</summary>
[Collection(AppCollection.Name)]
public sealed class ContentTypeTests(AppFixture app)
{
    [Theory]
    [InlineData("application/json; charset=bogus", "unsupported_charset")]
    [InlineData("application/json; charset=utf-16", "unsupported_charset")]
    [InlineData("application/json; charset=utf8", "unsupported_charset")] // not the IANA name; .NET's reader refuses it
    [InlineData("text/plain", "unsupported_media_type")]
    [InlineData(null, "unsupported_media_type")]
    public async Task A_body_that_is_not_utf_8_json_is_a_415_problem_and_stores_nothing(string? contentType, string code)
    {
        var email = Api.NewEmail();
        var refused = await app.Host.Scenario(s =>
        {
            s.Post.Text($$"""{"email":"{{email}}","password":"{{Api.Password}}","name":"Jo","organizationName":"Acme"}""").ToUrl("/api/auth/signup");
            s.ConfigureHttpContext(c => c.Request.ContentType = contentType);
            s.StatusCodeShouldBe(415);
        });
        await refused.ProblemAsync(415, code);
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email, password = Api.Password }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(401);
        });
    }

    [Theory]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json")]
    public async Task Utf_8_json_however_it_is_spelled_is_read(string contentType)
    {
        await app.Host.Scenario(s =>
        {
            s.Post.Text($$"""{"email":"{{Api.NewEmail()}}","password":"{{Api.Password}}","name":"José Müller","organizationName":"Café Crème"}""")
                .ToUrl("/api/auth/signup");
            s.ConfigureHttpContext(c => c.Request.ContentType = contentType);
            s.StatusCodeShouldBe(201);
        });
    }
}
