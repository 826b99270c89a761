using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.Deadlines;

internal static class Submissions
{
    /// <summary>An image submission carrying one request header (Cancel-After, Prefer), answered with <paramref name="status"/>.</summary>
    public static async Task<IScenarioResult> SubmitImageAsync(this IAlbaHost host, string token, object body, string header, string value, int status) =>
        await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/generations/image");
            s.As(token);
            s.WithRequestHeader(header, value);
            s.StatusCodeShouldBe(status);
        });
}
