using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Events;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task A_watcher_on_another_node_follows_the_job_run_here_to_the_end()
    {
        await app.Host.UseScriptedProviderAsync();
        var token = (await app.Host.SignUpAsync()).Tokens.AccessToken;
        var job = (await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 })).IdOf();
        await app.Host.WaitForJobAsync(token, job, j => j["status"]!.GetValue<string>() == "processing");
        await using var other = await app.StartAnotherNodeAsync();
        await other.Services.GetRequiredService<EventHub>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var client = other.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{job}/events");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        (await reader.ReadLineAsync()).ShouldStartWith("id: processing-"); // subscribed: the current state came first

        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(job);
        var states = (await reader.ReadToEndAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n').SingleOrDefault(l => l.StartsWith("data: ")))
            .Where(l => l is not null).Select(l => JsonNode.Parse(l!["data: ".Length..])!).ToList();
        states[^1]!["status"]!.GetValue<string>().ShouldBe("completed"); // and the stream ended after it
        states.Count(s => s!["status"]!.GetValue<string>() == "completed").ShouldBe(1);
    }
}
