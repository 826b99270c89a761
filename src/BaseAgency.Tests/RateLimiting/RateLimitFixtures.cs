using System.Net;
using Alba;
using BaseAgency.Features.SignUp;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.RateLimiting;

/// <summary>
/// An app with the limits on, counted in the Redis that scripts/test.sh starts (BASEAGENCY_REDIS); small stream caps
/// and a short wait for capped jobs. Its tests start extra nodes, so the collection runs alone, after the others,
/// to stay within the database server's connections.
/// </summary>
public sealed class LimitedAppFixture : AppFixture
{
    public static string Redis => Environment.GetEnvironmentVariable("BASEAGENCY_REDIS") ?? "localhost:6379";

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("RateLimiting:Enabled", "true"),
        new("ConnectionStrings:Redis", Redis),
        new("RateLimiting:MaxStreamsPerUser", "2"),
        new("RateLimiting:MaxStreamsPerOrganization", "3"),
        new("RateLimiting:CappedJobRetryDelay", "00:00:00.100"),
    ];
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LimitedAppCollection : ICollectionFixture<LimitedAppFixture>
{
    public const string Name = "limited app";
}

public static class Limited
{
    public static readonly object QuickImage = new { prompt = "a quick one", provider = "scripted", model = "scripted-image", width = 512, height = 512 };

    /// <summary>An address of its own, so a test's anonymous requests never share a per-IP counter with another's.</summary>
    public static IPAddress NewIp() => new(Random.Shared.Next(0x0A000001, 0x0AFFFFFE));

    public static Scenario From(this Scenario scenario, IPAddress ip)
    {
        scenario.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = ip);
        return scenario;
    }

    public static async Task<SignUpResponse> SignUpFromNewIpAsync(this IAlbaHost host)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(Api.NewSignUp()).ToUrl("/api/auth/signup");
            s.From(NewIp());
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<SignUpResponse>())!;
    }

    public static string Header(this IScenarioResult result, string name) => result.Context.Response.Headers[name].ToString();
}
