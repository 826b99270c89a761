using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Generations;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.CancelJob;

/// <summary>
/// A cancel accepted by one node stops the job where it runs (jobs run on the node that accepted them), at the provider
/// too where the provider can stop work; and a job the platform stops waiting for is stopped at the provider.
/// </summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class CancelFromAnyNodeTests(ProvidersAppFixture app)
{
    private FakeProviders Fakes => app.Fakes;

    private async Task<string> CustomerAsync()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Business);
        return customer.Tokens.AccessToken;
    }

    private async Task<IAlbaHost> OtherNodeAsync(params (string Key, string Value)[] settings)
    {
        var other = await app.StartAnotherNodeAsync(settings);
        await other.Services.GetRequiredService<CancelListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await app.Host.Services.GetRequiredService<CancelListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return other;
    }

    private static async Task<JsonObject> CancelAsync(IAlbaHost node, string token, Guid jobId) =>
        await (await node.Scenario(s =>
        {
            s.Post.Url($"/api/jobs/{jobId}/cancel");
            s.As(token);
            s.StatusCodeShouldBe(200);
        })).JsonAsync();

    private static async Task Until(Func<Task<bool>> reached, string what, int seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await reached())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {seconds} s: {what}.");
            await Task.Delay(20);
        }
    }

    private static bool Holds(IAlbaHost node, Guid jobId) => node.Services.GetRequiredService<JobUpdates>().Held.Contains(jobId);

    private int PredictionRequests(string id) => Fakes.Requests.Count(r => r.Provider == "replicate" && r.Path.Contains(id));

    [Fact]
    public async Task Cancel_on_node_B_stops_the_prediction_node_A_waits_on_and_cancels_it_at_Replicate()
    {
        await using var nodeB = await OtherNodeAsync();
        var token = await CustomerAsync();
        var submitted = await app.Host.SubmitJobAsync(token, "image", new { prompt = "cancel me elsewhere [slow]", provider = "replicate", model = "flux-schnell" });
        var jobId = submitted.IdOf();
        await Until(async () => (await app.Host.StoredJobAsync(jobId)).ProviderTaskId is not null, "the prediction is created");
        var predictionId = (await app.Host.StoredJobAsync(jobId)).ProviderTaskId!;
        Holds(app.Host, jobId).ShouldBeTrue(); // node A, which accepted it, polls it
        Holds(nodeB, jobId).ShouldBeFalse();

        var canceled = await CancelAsync(nodeB, token, jobId);

        canceled["status"]!.GetValue<string>().ShouldBe("canceled");
        canceled["creditReasonCode"]!.GetValue<string>().ShouldBe("canceled_after_start");
        // Without the cancel, node A would poll the prediction for Replicate's 5-minute timeout.
        await Until(() => Task.FromResult(!Holds(app.Host, jobId)), "node A's worker lets the job go");
        await Until(() => Task.FromResult(Fakes.Count("replicate", "POST", $"/replicate/v1/predictions/{predictionId}/cancel") == 1),
            "the prediction is canceled at Replicate");
        var cancel = Fakes.Requests.Single(r => r.Path == $"/replicate/v1/predictions/{predictionId}/cancel");
        cancel.Key.ShouldBe(FakeProviders.PlatformKey("replicate"));

        var requests = PredictionRequests(predictionId);
        await Task.Delay(300); // several poll intervals (50 ms): a worker still waiting would have polled again
        PredictionRequests(predictionId).ShouldBe(requests);
        (await app.Host.StoredJobAsync(jobId)).Status.ShouldBe(JobStatus.Canceled);
        // Settled once by the cancel (half of its 1 credit rounds to nothing), never captured as completed.
        (await app.Host.StatementOfJobAsync(token, jobId)).Select(l => (l["type"]!.GetValue<string>(), l["reasonCode"]?.GetValue<string>()))
            .ShouldBe([("hold", null), ("release", "canceled_after_start")]);
    }

    [Fact]
    public async Task Our_timeout_on_a_Replicate_job_cancels_each_prediction_and_the_next_attempt_starts_afresh()
    {
        await using var impatient = await OtherNodeAsync(("Providers:Replicate:Timeout", "00:00:01"));
        var token = await CustomerAsync();
        var prompt = $"stuck in the queue {Guid.NewGuid():N} [slow]";
        var submitted = await impatient.SubmitJobAsync(token, "image", new { prompt, provider = "replicate", model = "flux-schnell" });

        var job = await impatient.WaitForJobAsync(token, submitted.IdOf());

        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["errorCode"]!.GetValue<string>().ShouldBe("provider_timeout");
        job["attempts"]!.GetValue<int>().ShouldBe(3);
        var stored = await app.Host.StoredJobAsync(submitted.IdOf());
        // Each attempt made its own prediction, since the one before was canceled, and each was canceled once. (A create
        // whose answer came after our timeout is a prediction we never learned of: nothing can cancel it, so only
        // predictions the job polled count here; on an idle machine that is all three.)
        var predictions = Fakes.PredictionsFor(prompt);
        predictions.Count.ShouldBe(3);
        var known = predictions.Where(p => Fakes.Count("replicate", "GET", $"/replicate/v1/predictions/{p.Id}") > 0).ToList();
        known.ShouldContain(p => p.Id == stored.ProviderTaskId);
        known.ShouldAllBe(p => p.Status == "canceled" && Fakes.Count("replicate", "POST", $"/replicate/v1/predictions/{p.Id}/cancel") == 1);
        (await app.Host.StatementOfJobAsync(token, submitted.IdOf())).Select(l => l["type"]!.GetValue<string>()).ShouldBe(["hold", "release"]);
    }

    [Fact]
    public async Task Cancel_on_node_B_frees_node_A_worker_waiting_for_a_retry_at_once()
    {
        await app.Host.UseScriptedProviderAsync();
        await using var nodeB = await OtherNodeAsync();
        var token = await CustomerAsync();
        var balance = await app.Host.AvailableAsync(token);
        // Its first attempt failed and it would wait 15 s for the next.
        var submitted = await app.Host.SubmitJobAsync(token, "image", new { prompt = "retry later", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        var jobId = submitted.IdOf();
        await app.Host.WaitForJobAsync(token, jobId, j => j["status"]!.GetValue<string>() == "queued" && j["attempts"]!.GetValue<int>() == 1);
        await Until(() => Task.FromResult(Holds(app.Host, jobId)), "node A's worker waits for the retry");

        (await CancelAsync(nodeB, token, jobId))["creditReasonCode"]!.GetValue<string>().ShouldBe("canceled_before_start");

        await Until(() => Task.FromResult(!Holds(app.Host, jobId)), "node A's worker stops waiting");
        app.Host.Services.GetRequiredService<ScriptedProvider>().CallsFor(jobId).ShouldBe(1);
        (await app.Host.AvailableAsync(token)).ShouldBe(balance);
    }

    [Fact]
    public async Task A_provider_that_cannot_cancel_is_stopped_on_its_node_and_nothing_is_asked_of_it()
    {
        await app.Host.UseScriptedProviderAsync();
        await using var nodeB = await OtherNodeAsync();
        var token = await CustomerAsync();
        var submitted = await app.Host.SubmitJobAsync(token, "image", new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        var jobId = submitted.IdOf();
        await app.Host.WaitForJobAsync(token, jobId, j => j["status"]!.GetValue<string>() == "processing");
        await Until(() => Task.FromResult(Holds(app.Host, jobId)), "node A's worker calls the provider");
        var warnings = app.Logs.Lines.Count(l => l.Message.Contains("Could not cancel task"));

        (await CancelAsync(nodeB, token, jobId))["creditsUsed"]!.GetValue<int>().ShouldBe(1);

        await Until(() => Task.FromResult(!Holds(app.Host, jobId)), "node A's worker stops the call");
        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(jobId);
        (await app.Host.StoredJobAsync(jobId)).Status.ShouldBe(JobStatus.Canceled);
        app.Host.Services.GetRequiredService<ScriptedProvider>().CallsFor(jobId).ShouldBe(1);
        app.Logs.Lines.Count(l => l.Message.Contains("Could not cancel task")).ShouldBe(warnings);
        (await app.Host.StatementOfJobAsync(token, jobId)).Select(l => (l["type"]!.GetValue<string>(), l["reasonCode"]?.GetValue<string>()))
            .ShouldBe([("hold", null), ("usage", "canceled_after_start")]);
    }

    [Fact]
    public async Task A_cancel_announced_while_a_node_was_not_listening_is_found_when_it_listens_again()
    {
        await app.Host.UseScriptedProviderAsync();
        await using var nodeB = await OtherNodeAsync();
        var token = await CustomerAsync();
        var submitted = await nodeB.SubmitJobAsync(token, "image", new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        var jobId = submitted.IdOf();
        await Until(() => Task.FromResult(Holds(nodeB, jobId)), "node B's worker calls the provider");
        var logs = nodeB.Services.GetServices<Microsoft.Extensions.Logging.ILoggerProvider>().OfType<LogCapture>().Single();

        // Cut the listening connections of this database; the listener reconnects after a second.
        await using (var admin = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await admin.OpenAsync();
            await using var cut = new Npgsql.NpgsqlCommand(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN baseagency_cancel%'", admin);
            await cut.ExecuteNonQueryAsync();
        }
        await Until(() => Task.FromResult(logs.Lines.Any(l => l.Message.Contains("baseagency_cancel lost"))), "node B's listener notices");
        await CancelAsync(app.Host, token, jobId);

        await Until(() => Task.FromResult(!Holds(nodeB, jobId)), "node B's worker stops the call");
        nodeB.Services.GetRequiredService<ScriptedProvider>().Release(jobId);
        (await app.Host.StoredJobAsync(jobId)).Status.ShouldBe(JobStatus.Canceled);
    }
}
