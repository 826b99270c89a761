using System.Text.Json.Nodes;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.RunGenerationJob;

[Collection(RestartAppCollection.Name)]
public sealed class RestartTests(RestartAppFixture app)
{
    [Fact]
    public async Task A_job_interrupted_by_a_restart_completes_after_it_and_is_charged_once()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var submitted = await app.Host.SubmitJobAsync(token, "image", new { prompt = "survive the restart", width = 512, height = 512 });

        // Wait until a worker has it (the local provider is set to take 30 s), then stop the process under it.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await app.Host.GetAsJson<JsonObject>($"/api/jobs/{submitted.IdOf()}", token))["status"]!.GetValue<string>() != "processing")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The job never started.");
            await Task.Delay(50);
        }
        await app.RestartAsync(("Providers:Local:Latency", "00:00:00"));

        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf(), timeoutSeconds: 60);
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["attempts"]!.GetValue<int>().ShouldBe(2); // the interrupted attempt counts
        job["creditsUsed"]!.GetValue<int>().ShouldBe(1);
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=usage", token);
        statement["items"]!.AsArray().Count.ShouldBe(1);
    }
}
