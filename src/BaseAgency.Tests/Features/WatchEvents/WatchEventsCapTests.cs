using System.Net;
using BaseAgency.Tests.RateLimiting;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.WatchEvents;

[Collection(LimitedAppCollection.Name)]
public sealed class WatchEventsCapTests(LimitedAppFixture app)
{
    [Fact]
    public async Task Organization_streams_count_against_the_same_cap_as_job_streams()
    {
        var token = (await app.Host.SignUpFromNewIpAsync()).Tokens.AccessToken;
        using var first = await EventStreamClient.OpenAsync(app.Host, token);
        using var second = await EventStreamClient.OpenAsync(app.Host, token);
        first.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var third = await EventStreamClient.OpenAsync(app.Host, token); // the user's cap of 2
        third.Response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await third.Response.Content.ReadAsStringAsync()).ShouldContain("too_many_streams");
    }
}
