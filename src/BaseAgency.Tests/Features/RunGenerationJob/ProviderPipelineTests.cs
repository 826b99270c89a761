using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.RunGenerationJob;

/// <summary>Jobs on the external providers, each against a local fake of its real HTTP API.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class ProviderPipelineTests(ProvidersAppFixture app)
{
    private FakeProviders Fakes => app.Fakes;

    private async Task<string> CustomerAsync(PlanSlug plan = PlanSlug.Business, int extraCredits = 0)
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, plan);
        if (extraCredits > 0) await app.Host.GrantAsync(customer.Organization.Id, extraCredits, "test-credits");
        return customer.Tokens.AccessToken;
    }

    private async Task<JsonObject> RunAsync(string token, string type, object body) =>
        await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, type, body)).IdOf());

    [Fact]
    public async Task Replicate_creates_a_prediction_polls_it_and_stores_its_output()
    {
        var token = await CustomerAsync();
        var job = await RunAsync(token, "image", new { prompt = "a fox in the snow", provider = "replicate", model = "flux-schnell", width = 1024, height = 1024 });

        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["creditsUsed"]!.GetValue<int>().ShouldBe(1);
        (await app.Host.StoredJobAsync(job.IdOf())).CostUsd.ShouldBe(0.003m);
        job.ContainsKey("costUsd").ShouldBeFalse(); // the platform's cost is for operators only
        var predictionId = job["providerRequestId"]!.GetValue<string>();
        predictionId.ShouldStartWith("pred");
        var create = Fakes.Requests.Single(r => r.Provider == "replicate" && r.Method == "POST" && r.Body?["input"]?["prompt"]?.GetValue<string>() == "a fox in the snow");
        create.Path.ShouldBe("/replicate/v1/models/black-forest-labs/flux-schnell/predictions");
        create.Key.ShouldBe(FakeProviders.PlatformKey("replicate"));
        Fakes.Count("replicate", "GET", $"/replicate/v1/predictions/{predictionId}").ShouldBeGreaterThanOrEqualTo(2);

        var generation = await app.Host.GetAsJson<JsonObject>($"/api/generations/{job["generationId"]}", token);
        generation["files"]![0]!["contentType"]!.GetValue<string>().ShouldBe("image/png");
        generation["files"]![0]!["sizeBytes"]!.GetValue<long>().ShouldBeGreaterThan(50);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_the_job_completes()
    {
        var token = await CustomerAsync();
        var started = DateTime.UtcNow;
        var job = await RunAsync(token, "image", new { prompt = "busy hour [429]", provider = "replicate", model = "flux-schnell" });

        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["attempts"]!.GetValue<int>().ShouldBe(2, job.ToJsonString()); // the create was not repeated blindly: the job's next attempt, after Retry-After
        (DateTime.UtcNow - started).ShouldBeGreaterThan(TimeSpan.FromSeconds(0.9), job.ToJsonString());
    }

    [Fact]
    public async Task Permanent_errors_fail_at_once_and_transient_ones_after_three_attempts()
    {
        var token = await CustomerAsync();

        var policy = await RunAsync(token, "image", new { prompt = "something [policy]", provider = "replicate", model = "flux-schnell" });
        policy["status"]!.GetValue<string>().ShouldBe("failed");
        policy["errorCode"]!.GetValue<string>().ShouldBe("content_policy");
        policy["attempts"]!.GetValue<int>().ShouldBe(1);

        var auth = await RunAsync(token, "image", new { prompt = "locked out [auth]", provider = "freepik", model = "mystic" });
        auth["errorCode"]!.GetValue<string>().ShouldBe("provider_auth_failed");
        auth["attempts"]!.GetValue<int>().ShouldBe(1);

        var down = await RunAsync(token, "image", new { prompt = "server trouble [500]", provider = "replicate", model = "flux-schnell" });
        down["status"]!.GetValue<string>().ShouldBe("failed");
        down["errorCode"]!.GetValue<string>().ShouldBe("provider_unavailable");
        down["attempts"]!.GetValue<int>().ShouldBe(3);

        var stuck = await RunAsync(token, "image", new { prompt = "takes forever [slow]", provider = "freepik", model = "mystic" });
        stuck["status"]!.GetValue<string>().ShouldBe("failed");
        stuck["errorCode"]!.GetValue<string>().ShouldBe("provider_timeout"); // 1 s per attempt here, three attempts
        stuck["attempts"]!.GetValue<int>().ShouldBe(3);

        var garbled = await RunAsync(token, "text", new { prompt = "gibberish [malformed]", provider = "openai", model = "gpt-4o-mini" });
        garbled["status"]!.GetValue<string>().ShouldBe("failed");
        garbled["errorCode"]!.GetValue<string>().ShouldBe("provider_malformed_response");

        (await app.Host.AvailableAsync(token)).ShouldBe(50); // every failed job gave its credits back
    }

    [Fact]
    public async Task Freepik_mystic_is_created_with_its_header_and_polled_until_completed()
    {
        var token = await CustomerAsync();
        var job = await RunAsync(token, "image", new { prompt = "a misty forest", provider = "freepik", model = "mystic", aspectRatio = "16:9" });

        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["creditsUsed"]!.GetValue<int>().ShouldBe(2); // mystic: 1 credit × 2 for a side up to 1024
        var create = Fakes.Requests.Single(r => r.Provider == "freepik" && r.Method == "POST" && r.Body?["prompt"]?.GetValue<string>() == "a misty forest");
        create.Key.ShouldBe(FakeProviders.PlatformKey("freepik"));
        create.Body!["aspect_ratio"]!.GetValue<string>().ShouldBe("widescreen_16_9");
        create.Body!["resolution"]!.GetValue<string>().ShouldBe("1k");
    }

    [Fact]
    public async Task OpenAI_makes_hd_images_speech_and_text_through_the_official_client()
    {
        var token = await CustomerAsync();

        var image = await RunAsync(token, "image", new { prompt = "a wide harbour", provider = "openai", model = "dall-e-3-hd", aspectRatio = "16:9" });
        image["status"]!.GetValue<string>().ShouldBe("completed");
        image["creditsUsed"]!.GetValue<int>().ShouldBe(16); // 8 credits × 2 for 1792 pixels
        image["providerRequestId"]!.GetValue<string>().ShouldStartWith("req_");
        var imageCall = Fakes.Requests.Single(r => r.Path == "/openai/v1/images/generations" && r.Body?["prompt"]?.GetValue<string>() == "a wide harbour");
        imageCall.Body!["model"]!.GetValue<string>().ShouldBe("dall-e-3");
        imageCall.Body!["quality"]!.GetValue<string>().ShouldBe("hd");
        imageCall.Body!["size"]!.GetValue<string>().ShouldBe("1792x1024");
        imageCall.Key.ShouldBe(FakeProviders.PlatformKey("openai"));

        var text = await RunAsync(token, "text", new { prompt = "A bakery slogan", provider = "openai", model = "gpt-4o-mini", maxTokens = 1500 });
        text["status"]!.GetValue<string>().ShouldBe("completed");
        text["creditsUsed"]!.GetValue<int>().ShouldBe(1); // 1,000 tokens used of the 2 reserved
        (await app.Host.GetAsJson<JsonObject>($"/api/generations/{text["generationId"]}", token))["text"]!.GetValue<string>().ShouldBe("Fresh bread, every morning.");

        var speech = await RunAsync(token, "audio", new { text = "Hello from the agency", provider = "openai", model = "tts-1" });
        speech["status"]!.GetValue<string>().ShouldBe("completed");
        var audio = await app.Host.GetAsJson<JsonObject>($"/api/generations/{speech["generationId"]}", token);
        audio["files"]![0]!["contentType"]!.GetValue<string>().ShouldBe("audio/mpeg");
        audio["files"]![0]!["durationSeconds"]!.GetValue<double>().ShouldBe(2);
    }

    [Fact]
    public async Task Replicate_video_gets_our_image_as_a_data_uri_and_a_canceled_job_cancels_its_prediction()
    {
        var token = await CustomerAsync(extraCredits: 100);
        var image = await RunAsync(token, "image", new { prompt = "a still frame", provider = "replicate", model = "flux-schnell" });

        var video = await RunAsync(token, "video", new { sourceImage = image["generationId"]!.GetValue<string>(), duration = 5, motionPrompt = "slow pan", provider = "replicate", model = "kling-1.5" });
        video["status"]!.GetValue<string>().ShouldBe("completed");
        video["creditsUsed"]!.GetValue<int>().ShouldBe(50); // 10 credits per second
        var create = Fakes.Requests.Single(r => r.Path.Contains("kling") && r.Body?["input"]?["prompt"]?.GetValue<string>() == "slow pan");
        create.Body!["input"]!["start_image"]!.GetValue<string>().ShouldStartWith("data:image/png;base64,");
        create.Body!["input"]!["duration"]!.GetValue<int>().ShouldBe(5);

        var slow = await app.Host.SubmitJobAsync(token, "image", new { prompt = "never ends [slow]", provider = "replicate", model = "flux-schnell" });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await app.Host.GetAsJson<JsonObject>($"/api/jobs/{slow.IdOf()}", token))["status"]!.GetValue<string>() != "processing" || 
               !Fakes.Requests.Any(r => r.Provider == "replicate" && r.Body?["input"]?["prompt"]?.GetValue<string>() == "never ends [slow]"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The slow job never started.");
            await Task.Delay(50);
        }
        await Task.Delay(200); // its prediction id is stored
        await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/jobs/{slow.IdOf()}/cancel");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Fakes.Requests.Any(r => r.Provider == "replicate" && r.Path.EndsWith("/cancel")))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The prediction was never canceled.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_job_restarted_while_waiting_on_replicate_resumes_its_prediction_instead_of_paying_again()
    {
        var token = await CustomerAsync();
        var submitted = await app.Host.SubmitJobAsync(token, "image", new { prompt = "worth the wait [hold]", provider = "replicate", model = "flux-schnell" });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Fakes.Count("replicate", "GET", "/replicate/v1/predictions/") == 0 ||
               !Fakes.Requests.Any(r => r.Provider == "replicate" && r.Method == "POST" && r.Body?["input"]?["prompt"]?.GetValue<string>() == "worth the wait [hold]"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The prediction was never created.");
            await Task.Delay(50);
        }
        await Task.Delay(300); // polling: the prediction id is stored

        await app.RestartAsync();
        Fakes.ReleaseHeld();

        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf(), timeoutSeconds: 60);
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["attempts"]!.GetValue<int>().ShouldBe(2);
        Fakes.Requests.Count(r => r.Provider == "replicate" && r.Method == "POST" && r.Body?["input"]?["prompt"]?.GetValue<string>() == "worth the wait [hold]").ShouldBe(1);
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
    }
}
