using Microsoft.Extensions.DependencyInjection;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.RateLimiting;

[Collection(LimitedAppCollection.Name)]
public sealed class SharedLimitTests(LimitedAppFixture app)
{
    [Fact]
    public async Task Two_nodes_sharing_redis_hold_one_limit_between_them()
    {
        await app.Host.UseScriptedProviderAsync();
        await using var other = await app.StartAnotherNodeAsync();
        var token = (await app.Host.SignUpFromNewIpAsync()).Tokens.AccessToken;

        for (var i = 1; i <= 3; i++) await app.Host.SubmitAsync(token, "image", Limited.QuickImage);
        for (var i = 4; i <= 5; i++)
            (await other.SubmitAsync(token, "image", Limited.QuickImage)).Header("X-RateLimit-Remaining").ShouldBe((5 - i).ToString());

        await (await other.SubmitAsync(token, "image", Limited.QuickImage, status: 429)).ProblemAsync(429, "rate_limited");
        await (await app.Host.SubmitAsync(token, "image", Limited.QuickImage, status: 429)).ProblemAsync(429, "rate_limited");
    }

    [Fact]
    public async Task A_node_whose_redis_is_unreachable_limits_on_its_own_and_warns()
    {
        await app.Host.UseScriptedProviderAsync();
        // Nothing listens on port 1: the node fails open to its own counters instead of refusing or waiting.
        await using var cut = await app.StartAnotherNodeAsync(("ConnectionStrings:Redis", "127.0.0.1:1,connectTimeout=200"));
        var token = (await app.Host.SignUpFromNewIpAsync()).Tokens.AccessToken;

        for (var i = 1; i <= 5; i++)
            (await cut.SubmitAsync(token, "image", Limited.QuickImage)).Header("X-RateLimit-Remaining").ShouldBe((5 - i).ToString());
        await (await cut.SubmitAsync(token, "image", Limited.QuickImage, status: 429)).ProblemAsync(429, "rate_limited");

        var cutLogs = cut.Services.GetServices<Microsoft.Extensions.Logging.ILoggerProvider>().OfType<LogCapture>().Single();
        cutLogs.Lines.ShouldContain(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("Redis does not answer"));
    }
}
