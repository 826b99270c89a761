using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.GenerateImage;

/// <summary>Everything that can say no says it before a job is queued, each with its own problem.</summary>
[Collection(AppCollection.Name)]
public sealed class GenerateImageTests(AppFixture app)
{
    [Fact]
    public async Task The_plan_decides_features_and_sizes()
    {
        var customer = await app.Host.SignUpAsync(); // Free: no video, images up to 512x512
        var token = customer.Tokens.AccessToken;

        var video = await app.Host.SubmitAsync(token, "video", new { sourceImage = "https://example.com/cat.png", duration = 5 }, 403);
        (await video.ProblemAsync(403, "plan_feature_unavailable"))["plan"]!.GetValue<string>().ShouldBe("free");
        var audio = await app.Host.SubmitAsync(token, "audio", new { text = "hello" }, 403);
        await audio.ProblemAsync(403, "plan_feature_unavailable");
        var big = await app.Host.SubmitAsync(token, "image", new { prompt = "a big one", width = 1024, height = 1024 }, 403);
        (await big.ProblemAsync(403, "resolution_above_plan"))["maxResolution"]!.GetValue<string>().ShouldBe("512x512");

        // Without a size, the default fits the plan.
        var fitted = await app.Host.SubmitJobAsync(token, "image", new { prompt = "a default one", aspectRatio = "16:9" });
        fitted["input"]!["width"]!.GetValue<int>().ShouldBe(512);
        fitted["input"]!["height"]!.GetValue<int>().ShouldBe(288);
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
    }

    [Fact]
    public async Task Models_must_exist_be_active_fit_the_type_and_have_a_provider()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;

        await (await app.Host.SubmitAsync(token, "image", new { prompt = "x", model = "no-such-model" }, 422)).ProblemAsync(422, "unknown_model");
        await (await app.Host.SubmitAsync(token, "image", new { prompt = "x", model = "local-audio" }, 422)).ProblemAsync(422, "model_type_mismatch");
        var noKey = await app.Host.SubmitAsync(token, "image", new { prompt = "x", provider = "replicate", model = "flux-schnell", width = 512, height = 512 }, 422);
        await noKey.ProblemAsync(422, "provider_key_missing"); // this server has no Replicate key, nor has the organization
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
    }

    [Fact]
    public async Task Bad_requests_are_400_with_the_fields_named()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;

        var empty = await (await app.Host.SubmitAsync(token, "image", new { prompt = "" }, 400)).ProblemAsync(400, "validation_failed");
        empty["errors"]!["prompt"].ShouldNotBeNull();
        var tooLong = await (await app.Host.SubmitAsync(token, "image", new { prompt = new string('a', 4001) }, 400)).ProblemAsync(400, "validation_failed");
        tooLong["errors"]!["prompt"].ShouldNotBeNull();
        var half = await (await app.Host.SubmitAsync(token, "image", new { prompt = "x", width = 512 }, 400)).ProblemAsync(400, "validation_failed");
        half["errors"]!["width"].ShouldNotBeNull();
        var ratio = await (await app.Host.SubmitAsync(token, "image", new { prompt = "x", aspectRatio = "5:1" }, 400)).ProblemAsync(400, "validation_failed");
        ratio["errors"]!["aspectRatio"].ShouldNotBeNull();
        await (await app.Host.SubmitAsync(token, "text", new { prompt = "x", maxTokens = 0 }, 400)).ProblemAsync(400, "validation_failed");
        await (await app.Host.SubmitAsync(token, "video", new { sourceImage = "http://insecure.example.com/a.png", duration = 5 }, 400))
            .ProblemAsync(400, "validation_failed");
        await (await app.Host.SubmitAsync(token, "image", new { prompt = "x" }, 400, idempotencyKey: new string('k', 300)))
            .ProblemAsync(400, "invalid_idempotency_key");
        var viewer = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { prompt = "x" }).ToUrl("/api/generations/image");
            s.StatusCodeShouldBe(401);
        });
        await viewer.ProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task Jobs_submitted_the_moment_an_organization_exists_race_nothing()
    {
        // No waiting for the sign-up's queued work (the plan's credits): the ledger exists from the first moment.
        var signUp = await app.Host.Scenario(s =>
        {
            s.Post.Json(Api.NewSignUp()).ToUrl("/api/auth/signup");
            s.StatusCodeShouldBe(201);
        });
        var token = (await signUp.JsonAsync())["tokens"]!["accessToken"]!.GetValue<string>();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => app.Host.Scenario(s =>
        {
            s.Post.Json(new { prompt = $"early {i}" }).ToUrl("/api/generations/image");
            s.As(token);
            s.IgnoreStatusCode();
        })));

        // Before the plan's credits arrive a job is 402; after, 202 — never anything else.
        results.ShouldAllBe(r => r.Context.Response.StatusCode == 202 || r.Context.Response.StatusCode == 402);
        foreach (var accepted in results.Where(r => r.Context.Response.StatusCode == 202))
            await app.Host.WaitForJobAsync(token, (await accepted.JsonAsync()).IdOf());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var jobs = results.Count(r => r.Context.Response.StatusCode == 202);
        while ((await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token))["balance"]!.GetValue<int>() != 50 - jobs && DateTime.UtcNow < deadline)
            await Task.Delay(50); // the plan's credits arrive from the queue
        (await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token))["balance"]!.GetValue<int>().ShouldBe(50 - jobs);
        (await app.Host.GetAsJson<JsonObject>("/api/jobs", token))["items"]!.AsArray().Count.ShouldBe(jobs);
    }

    [Fact]
    public async Task Short_credits_are_402_and_an_exhausted_quota_is_403()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;

        await app.Host.ReserveAsync(org, 50, "someone-else's-big-job");
        var shortOf = await app.Host.SubmitAsync(token, "image", new { prompt = "x" }, 402);
        var problem = await shortOf.ProblemAsync(402, "insufficient_credits");
        problem["required"]!.GetValue<int>().ShouldBe(1);
        problem["available"]!.GetValue<int>().ShouldBe(0);

        var other = await app.Host.SignUpAsync();
        await using (var session = app.Host.Services.GetRequiredService<IDocumentStore>().SessionFor(other.Organization.Id))
        {
            var subscription = (await session.LoadAsync<Subscription>(other.Organization.Id))!;
            session.Store(new PeriodUsage(PeriodUsage.IdFor(other.Organization.Id, subscription.CurrentPeriodStart), 50, 0, 0));
            await session.SaveChangesAsync();
        }
        var exhausted = await app.Host.SubmitAsync(other.Tokens.AccessToken, "image", new { prompt = "x" }, 403);
        var quota = await exhausted.ProblemAsync(403, "monthly_quota_exhausted");
        quota["limit"]!.GetValue<int>().ShouldBe(50);
        quota["used"]!.GetValue<int>().ShouldBe(50);
        (await app.Host.AvailableAsync(other.Tokens.AccessToken)).ShouldBe(50); // nothing reserved
    }

    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_first_job_and_charges_once()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var key = $"order-{Guid.NewGuid():N}";

        var first = await app.Host.SubmitJobAsync(token, "image", new { prompt = "once only" }, key);
        var again = await app.Host.SubmitAsync(token, "image", new { prompt = "once only" }, 202, key);
        (await again.JsonAsync()).IdOf().ShouldBe(first.IdOf());
        again.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");
        var raced = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => app.Host.SubmitJobAsync(token, "image", new { prompt = "once only" }, key)));
        raced.ShouldAllBe(j => j.IdOf() == first.IdOf());

        // Any other value is another request, the same prompt included.
        var reused = await app.Host.SubmitAsync(token, "image", new { prompt = "something else" }, 422, key);
        await reused.ProblemAsync(422, "idempotency_key_reused");
        await (await app.Host.SubmitAsync(token, "image", new { prompt = "once only", width = 256, height = 256 }, 422, key))
            .ProblemAsync(422, "idempotency_key_reused");

        await app.Host.WaitForJobAsync(token, first.IdOf());
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
        var jobs = await app.Host.GetAsJson<JsonObject>("/api/jobs", token);
        jobs["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Another_organization_sees_nothing_of_jobs_generations_or_files()
    {
        var owner = await app.Host.SignUpAsync();
        var stranger = await app.Host.SignUpAsync();
        var job = await app.Host.WaitForJobAsync(owner.Tokens.AccessToken,
            (await app.Host.SubmitJobAsync(owner.Tokens.AccessToken, "image", new { prompt = "private work" })).IdOf());
        var generationId = job["generationId"]!.GetValue<Guid>();
        var generation = await app.Host.GetAsJson<JsonObject>($"/api/generations/{generationId}", owner.Tokens.AccessToken);

        foreach (var url in new[]
                 {
                     $"/api/jobs/{job.IdOf()}", $"/api/jobs/{job.IdOf()}/events", $"/api/generations/{generationId}",
                     $"/api/generations/{generationId}/files/0",
                 })
        {
            var result = await app.Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.As(stranger.Tokens.AccessToken);
                s.StatusCodeShouldBe(404);
            });
            await result.ProblemAsync(404, "not_found");
        }
        await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/jobs/{job.IdOf()}/cancel");
            s.As(stranger.Tokens.AccessToken);
            s.StatusCodeShouldBe(404);
        });
        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/generations/{generationId}");
            s.As(stranger.Tokens.AccessToken);
            s.StatusCodeShouldBe(404);
        });
        (await app.Host.GetAsJson<JsonObject>("/api/jobs", stranger.Tokens.AccessToken))["items"]!.AsArray().ShouldBeEmpty();
        (await app.Host.GetAsJson<JsonObject>("/api/generations", stranger.Tokens.AccessToken))["items"]!.AsArray().ShouldBeEmpty();

        // A signed link works for whoever holds it, until it expires; tampering with it does not.
        var signed = generation["files"]![0]!["url"]!.GetValue<string>();
        await app.Host.Scenario(s =>
        {
            s.Get.Url(signed);
            s.StatusCodeShouldBe(200);
        });
        var otherKey = signed.Replace(owner.Organization.Id.ToString("N"), stranger.Organization.Id.ToString("N"));
        await app.Host.Scenario(s =>
        {
            s.Get.Url(otherKey);
            s.StatusCodeShouldBe(403);
        });
    }
}
