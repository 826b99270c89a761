using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.Logout;

[Collection(AppCollection.Name)]
public sealed class LogoutTests(AppFixture app)
{
    [Fact]
    public async Task Logout_revokes_the_refresh_token()
    {
        var signedUp = await app.Host.SignUpAsync();
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { refreshToken = signedUp.Tokens.RefreshToken }).ToUrl("/api/auth/logout");
            s.StatusCodeShouldBe(204);
        });

        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { refreshToken = signedUp.Tokens.RefreshToken }).ToUrl("/api/auth/refresh");
            s.StatusCodeShouldBe(401);
        });
        await result.ProblemAsync(401, "invalid_refresh_token");
    }

    [Fact]
    public async Task Logout_with_an_unknown_token_still_answers_204()
    {
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { refreshToken = "never-issued" }).ToUrl("/api/auth/logout");
            s.StatusCodeShouldBe(204);
        });
    }
}
