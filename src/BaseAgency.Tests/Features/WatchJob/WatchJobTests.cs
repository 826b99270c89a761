using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.WatchJob;

[Collection(AppCollection.Name)]
public sealed class WatchJobTests(AppFixture app)
{
    [Fact]
    public async Task The_event_stream_starts_with_the_current_state_and_ends_when_the_job_finishes()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "a quick one", provider = "scripted", model = "scripted-image", width = 512, height = 512 });

        var stream = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/jobs/{submitted.IdOf()}/events");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        stream.Context.Response.ContentType.ShouldBe("text/event-stream");
        var events = (await stream.ReadAsTextAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("id:"))
            .Select(e => JsonNode.Parse(e.Split('\n').Single(l => l.StartsWith("data: "))["data: ".Length..])!)
            .ToList();
        events.Count.ShouldBeGreaterThanOrEqualTo(2);
        events[0]!["status"]!.GetValue<string>().ShouldBeOneOf("queued", "processing");
        events[^1]!["status"]!.GetValue<string>().ShouldBe("completed");

        // A late client gets the final state at once, then the stream ends.
        var late = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/jobs/{submitted.IdOf()}/events");
            s.As(token);
        });
        (await late.ReadAsTextAsync()).ShouldContain("\"status\":\"completed\"");
    }
}
