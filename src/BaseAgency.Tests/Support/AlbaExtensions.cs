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
}
