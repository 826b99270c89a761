using Alba;
using BaseAgency.Identity;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Identity;

[Collection(AppCollection.Name)]
public sealed class AccessTokenTests(AppFixture app)
{
    [Fact]
    public async Task Me_without_a_token_is_401_problem()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/me");
            s.StatusCodeShouldBe(401);
        });
        await result.ProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var signedUp = await app.Host.SignUpAsync();
        var tokens = app.Host.Services.GetRequiredService<Tokens>();
        var user = new User(signedUp.User.Id, signedUp.Organization.Id, signedUp.User.Email, "x", Role.Admin, "", DateTimeOffset.UtcNow);
        var expired = tokens.AccessToken(user, signedUp.Organization.Id, DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(-1));

        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/me");
            s.As(expired);
            s.StatusCodeShouldBe(401);
        });
        await result.ProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var signedUp = await app.Host.SignUpAsync();
        var parts = signedUp.Tokens.AccessToken.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/me");
            s.As(forged);
            s.StatusCodeShouldBe(401);
        });
    }
}
