using Alba;
using BaseAgency.Identity;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.RefreshSession;

[Collection(AppCollection.Name)]
public sealed class RefreshSessionTests(AppFixture app)
{
    [Fact]
    public async Task Refresh_rotates_the_refresh_token()
    {
        var signedUp = await app.Host.SignUpAsync();
        var first = await Refresh(signedUp.Tokens.RefreshToken, 200);
        var pair = await first.ReadAsJsonAsync<TokenPair>();

        pair!.RefreshToken.ShouldNotBe(signedUp.Tokens.RefreshToken);
        await app.Host.GetAsJson<System.Text.Json.Nodes.JsonObject>("/api/me", pair.AccessToken);
        await Refresh(pair.RefreshToken, 200);
    }

    [Fact]
    public async Task Reusing_a_rotated_token_revokes_its_whole_family()
    {
        var signedUp = await app.Host.SignUpAsync();
        var rotated = (await (await Refresh(signedUp.Tokens.RefreshToken, 200)).ReadAsJsonAsync<TokenPair>())!;

        var reuse = await Refresh(signedUp.Tokens.RefreshToken, 401);
        await reuse.ProblemAsync(401, "refresh_token_reused");

        // The thief's copy is dead, and so is the legitimate descendant.
        var descendant = await Refresh(rotated.RefreshToken, 401);
        await descendant.ProblemAsync(401, "invalid_refresh_token");
    }

    [Fact]
    public async Task Other_sign_ins_are_not_affected_by_a_reuse()
    {
        var signedUp = await app.Host.SignUpAsync();
        var otherDevice = await app.Host.LoginAsync(signedUp.User.Email);
        await Refresh(signedUp.Tokens.RefreshToken, 200);
        await Refresh(signedUp.Tokens.RefreshToken, 401);

        await Refresh(otherDevice.RefreshToken, 200);
    }

    [Fact]
    public async Task Racing_refreshes_with_one_token_let_exactly_one_through()
    {
        var signedUp = await app.Host.SignUpAsync();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var result = await app.Host.Scenario(s =>
            {
                s.Post.Json(new { refreshToken = signedUp.Tokens.RefreshToken }).ToUrl("/api/auth/refresh");
                s.IgnoreStatusCode();
            });
            return result.Context.Response.StatusCode;
        }));
        statuses.Count(s => s == 200).ShouldBe(1);
        statuses.Count(s => s == 401).ShouldBe(7);
    }

    [Fact]
    public async Task Unknown_refresh_token_is_401()
    {
        var result = await Refresh("made-up-token", 401);
        await result.ProblemAsync(401, "invalid_refresh_token");
    }

    private Task<IScenarioResult> Refresh(string refreshToken, int status) => app.Host.Scenario(s =>
    {
        s.Post.Json(new { refreshToken }).ToUrl("/api/auth/refresh");
        s.StatusCodeShouldBe(status);
    });
}
