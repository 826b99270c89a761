using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.Login;

[Collection(AppCollection.Name)]
public sealed class LoginTests(AppFixture app)
{
    [Fact]
    public async Task Successful_login_returns_a_token_pair_that_works()
    {
        var signedUp = await app.Host.SignUpAsync();
        var tokens = await app.Host.LoginAsync(signedUp.User.Email.ToUpperInvariant());

        tokens.TokenType.ShouldBe("Bearer");
        tokens.RefreshToken.ShouldNotBe(signedUp.Tokens.RefreshToken);
        var me = await app.Host.GetAsJson<System.Text.Json.Nodes.JsonObject>("/api/me", tokens.AccessToken);
        me["user"]!["lastLoginAt"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_answer()
    {
        var signedUp = await app.Host.SignUpAsync();

        var wrongPassword = await Login(signedUp.User.Email, "not-the-password", 401);
        var unknownEmail = await Login(Api.NewEmail(), Api.Password, 401);

        var a = await wrongPassword.ProblemAsync(401, "invalid_credentials");
        var b = await unknownEmail.ProblemAsync(401, "invalid_credentials");
        a["title"]!.GetValue<string>().ShouldBe(b["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Five_failures_lock_the_address_even_for_the_right_password()
    {
        var signedUp = await app.Host.SignUpAsync();
        for (var i = 0; i < 5; i++) await Login(signedUp.User.Email, "wrong-password-" + i, 401);

        var locked = await Login(signedUp.User.Email, Api.Password, 429);
        await locked.ProblemAsync(429, "login_locked");
        int.Parse(locked.Context.Response.Headers.RetryAfter.ToString()).ShouldBeInRange(1, 15 * 60);
    }

    [Fact]
    public async Task A_hundred_wrong_passwords_at_once_check_no_more_than_the_lockout_allows()
    {
        var signedUp = await app.Host.SignUpAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = signedUp.User.Email, password = $"wrong-password-{i}" }).ToUrl("/api/auth/login");
            s.IgnoreStatusCode();
        })));

        // A 401 is a password that was checked; every other attempt was refused before its password was looked at.
        answers.Count(a => a.Context.Response.StatusCode == 401).ShouldBe(5);
        answers.Count(a => a.Context.Response.StatusCode == 429).ShouldBe(95);
        // And the right password, arriving among wrong ones after the lock, does not get in either.
        await (await Login(signedUp.User.Email, Api.Password, 429)).ProblemAsync(429, "login_locked");
    }

    [Fact]
    public async Task An_address_without_an_account_locks_the_same_way()
    {
        var email = Api.NewEmail("nobody");
        for (var i = 0; i < 5; i++) await Login(email, "wrong-password-" + i, 401);
        var locked = await Login(email, "wrong-password", 429);
        await locked.ProblemAsync(429, "login_locked");
    }

    [Fact]
    public async Task A_success_clears_earlier_failures()
    {
        var signedUp = await app.Host.SignUpAsync();
        for (var i = 0; i < 4; i++) await Login(signedUp.User.Email, "wrong-password", 401);
        await app.Host.LoginAsync(signedUp.User.Email);
        for (var i = 0; i < 4; i++) await Login(signedUp.User.Email, "wrong-password", 401);
        await app.Host.LoginAsync(signedUp.User.Email);
    }

    private Task<IScenarioResult> Login(string email, string password, int status) => app.Host.Scenario(s =>
    {
        s.Post.Json(new { email, password }).ToUrl("/api/auth/login");
        s.StatusCodeShouldBe(status);
    });
}
