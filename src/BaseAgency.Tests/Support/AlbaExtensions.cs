using System.Text.Json.Nodes;
using Alba;

namespace BaseAgency.Tests.Support;

public static class AlbaExtensions
{
    public static async Task<T> GetAsJson<T>(this IAlbaHost host, string url, string accessToken, int status = 200)
    {
        var result = await host.Scenario(s =>
        {
            s.Get.Url(url);
            s.As(accessToken);
            s.StatusCodeShouldBe(status);
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }

    public static async Task<JsonObject> JsonAsync(this IScenarioResult result) =>
        JsonNode.Parse(await result.ReadAsTextAsync())!.AsObject();

    public static async Task<T> JsonAsync<T>(this IScenarioResult result) where T : JsonNode =>
        (T)JsonNode.Parse(await result.ReadAsTextAsync())!;

    /// <summary>
    /// Reads until <paramref name="done"/> holds (or 10 s pass, returning the last read): the audit log's request entries are
    /// written once an answer is complete, which the test server does not wait for.
    /// </summary>
    public static async Task<JsonObject> GetWhenAsync(this IAlbaHost host, string url, string accessToken, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonObject read;
        while (!done(read = await host.GetAsJson<JsonObject>(url, accessToken)) && DateTime.UtcNow < deadline) await Task.Delay(50);
        return read;
    }
}
