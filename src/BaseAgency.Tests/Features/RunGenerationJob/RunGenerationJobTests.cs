using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace BaseAgency.Tests.Features.RunGenerationJob;

/// <summary>Jobs end to end: submitted over HTTP, run from Wolverine's durable queue, results stored, credits settled.</summary>
[Collection(AppCollection.Name)]
public sealed class RunGenerationJobTests(AppFixture app)
{
    [Fact]
    public async Task An_image_job_completes_with_a_real_png_of_the_requested_size_and_is_charged_its_price()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Professional);
        var token = customer.Tokens.AccessToken;

        var submitted = await app.Host.SubmitJobAsync(token, "image", new { prompt = "a lighthouse at dusk", width = 1536, height = 864, seed = 7 });
        submitted["status"]!.GetValue<string>().ShouldBe("queued");
        submitted["creditsReserved"]!.GetValue<int>().ShouldBe(2); // local-image: 1 credit × 2 for a side up to 2048
        submitted["links"]!["events"]!.GetValue<string>().ShouldEndWith("/events");
        (await app.Host.AvailableAsync(token)).ShouldBe(48); // reserved at once

        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["creditsUsed"]!.GetValue<int>().ShouldBe(2);
        job["attempts"]!.GetValue<int>().ShouldBe(1);
        job["progress"]!.GetValue<int>().ShouldBe(100);
        (await app.Host.AvailableAsync(token)).ShouldBe(48);

        var generation = await app.Host.GetAsJson<JsonObject>($"/api/generations/{job["generationId"]}", token);
        var file = generation["files"]![0]!;
        file["contentType"]!.GetValue<string>().ShouldBe("image/png");
        file["width"]!.GetValue<int>().ShouldBe(1536);

        var download = await app.Host.Scenario(s =>
        {
            s.Get.Url(file["downloadUrl"]!.GetValue<string>());
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        var png = await ReadBytesAsync(download);
        png[..8].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)).ShouldBe(1536);
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)).ShouldBe(864);
        png.Length.ShouldBe((int)file["sizeBytes"]!.GetValue<long>());

        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions", token);
        statement["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).ShouldContain("usage");
    }

    [Fact]
    public async Task A_provider_that_fails_twice_then_succeeds_completes_on_the_third_attempt()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;

        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "fail twice please", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());

        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["attempts"]!.GetValue<int>().ShouldBe(3);
        job["creditsUsed"]!.GetValue<int>().ShouldBe(2);
        job["providerRequestId"]!.GetValue<string>().ShouldEndWith("-3");
        app.Host.Services.GetRequiredService<ScriptedProvider>().CallsFor(submitted.IdOf()).ShouldBe(3); // one worker, never two at once
        (await app.Host.StoredJobAsync(submitted.IdOf())).CostUsd.ShouldBe(0.01m);
        (await app.Host.AvailableAsync(token)).ShouldBe(48);
    }

    [Fact]
    public async Task A_provider_that_always_fails_ends_failed_with_the_credits_released()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;

        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "always fail", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());

        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["attempts"]!.GetValue<int>().ShouldBe(3);
        job["errorCode"]!.GetValue<string>().ShouldBe("provider_timeout");
        job["creditsUsed"]!.GetValue<int>().ShouldBe(0);
        job["creditReasonCode"]!.GetValue<string>().ShouldBe("provider_timeout");
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        var subscription = await app.Host.GetAsJson<JsonObject>("/api/subscription", token);
        subscription["quotas"]!.AsArray().Single(q => q!["quota"]!.GetValue<string>() == "images")!["used"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task A_permanent_error_fails_at_once()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;

        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "content policy breaker", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());

        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["attempts"]!.GetValue<int>().ShouldBe(1);
        job["errorCode"]!.GetValue<string>().ShouldBe("content_policy");
        job["errorMessage"]!.GetValue<string>().ShouldContain("content policy");
        job["creditReasonCode"]!.GetValue<string>().ShouldBe("content_policy");
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        (await app.Host.StatementOfJobAsync(token, job.IdOf())).Last()["reasonCode"]!.GetValue<string>().ShouldBe("content_policy");
    }

    [Fact]
    public async Task A_provider_error_returns_the_job_s_credits_in_full_to_the_buckets_they_came_from()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync(); // 50 plan credits
        var org = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;
        await app.Host.PurchaseAsync(org, Guid.NewGuid(), 100);
        await app.Host.CaptureAsync(org, (await app.Host.ReserveAsync(org, 49, "earlier work")).Reservation!.Id, 49);

        // 2 credits: the last plan credit (it expires first) and one paid credit.
        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "provider error", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());

        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["creditReasonCode"]!.GetValue<string>().ShouldBe("provider_error");
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        balance["byBucket"]!.ToJsonString().ShouldBe("""{"plan":1,"paid":100,"promotional":0}""");
        balance["reserved"]!.GetValue<int>().ShouldBe(0);

        var lines = await app.Host.StatementOfJobAsync(token, job.IdOf());
        lines.Select(l => (l["type"]!.GetValue<string>(), l["amount"]!.GetValue<int>(), l["held"]!.GetValue<int>(), l["reasonCode"]?.GetValue<string>()))
            .ShouldBe([("hold", 0, 2, null), ("release", 0, -2, "provider_error")]);
        lines[0]["buckets"]!.ToJsonString().ShouldBe("""[{"kind":"plan","amount":-1},{"kind":"paid","amount":-1}]""");
        lines[1]["buckets"]!.ToJsonString().ShouldBe("""[{"kind":"plan","amount":1},{"kind":"paid","amount":1}]""");
    }

    [Fact]
    public async Task Cancel_while_the_provider_works_charges_the_configured_share_and_the_job_never_completes()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        await app.Host.WaitForJobAsync(token, submitted.IdOf(), j => j["status"]!.GetValue<string>() == "processing");

        var canceled = await (await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/jobs/{submitted.IdOf()}/cancel");
            s.As(token);
            s.StatusCodeShouldBe(200);
        })).JsonAsync();
        canceled["status"]!.GetValue<string>().ShouldBe("canceled");
        canceled["creditReasonCode"]!.GetValue<string>().ShouldBe("canceled_after_start");
        canceled["creditsUsed"]!.GetValue<int>().ShouldBe(1); // Generation:CancelAfterStartCharge 0.5 of the 2 reserved
        (await app.Host.AvailableAsync(token)).ShouldBe(49);

        var again = await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/jobs/{submitted.IdOf()}/cancel");
            s.As(token);
            s.StatusCodeShouldBe(409);
        });
        await again.ProblemAsync(409, "job_finished");
        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(submitted.IdOf());
        (await app.Host.WaitForJobAsync(token, submitted.IdOf()))["status"]!.GetValue<string>().ShouldBe("canceled");
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
        (await app.Host.GetAsJson<JsonObject>("/api/generations", token))["items"]!.AsArray().ShouldBeEmpty();

        var lines = await app.Host.StatementOfJobAsync(token, submitted.IdOf());
        lines.Select(l => (l["type"]!.GetValue<string>(), l["amount"]!.GetValue<int>(), l["held"]!.GetValue<int>(), l["reasonCode"]?.GetValue<string>()))
            .ShouldBe([("hold", 0, 2, null), ("usage", -1, -2, "canceled_after_start")]);
    }

    [Fact]
    public async Task Cancel_before_the_provider_works_on_the_job_returns_everything()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "retry later", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        // Its first attempt failed and it waits 15 s in the queue for the next: the provider is not working on it.
        await app.Host.WaitForJobAsync(token, submitted.IdOf(),
            j => j["status"]!.GetValue<string>() == "queued" && j["attempts"]!.GetValue<int>() == 1);

        var canceled = await (await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/jobs/{submitted.IdOf()}/cancel");
            s.As(token);
            s.StatusCodeShouldBe(200);
        })).JsonAsync();
        canceled["creditReasonCode"]!.GetValue<string>().ShouldBe("canceled_before_start");
        canceled["creditsUsed"]!.GetValue<int>().ShouldBe(0);
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        (await app.Host.StatementOfJobAsync(token, submitted.IdOf())).Select(l => (l["type"]!.GetValue<string>(), l["reasonCode"]?.GetValue<string>()))
            .ShouldBe([("hold", null), ("release", "canceled_before_start")]);
    }

    [Fact]
    public async Task Audio_and_text_jobs_produce_a_wav_and_text_charged_by_what_they_used()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var token = customer.Tokens.AccessToken;

        var audio = await app.Host.WaitForJobAsync(token,
            (await app.Host.SubmitJobAsync(token, "audio", new { text = "Welcome to the agency. We make pictures that speak." })).IdOf());
        audio["status"]!.GetValue<string>().ShouldBe("completed");
        var sound = await app.Host.GetAsJson<JsonObject>($"/api/generations/{audio["generationId"]}", token);
        var wav = await ReadBytesAsync(await app.Host.Scenario(s =>
        {
            s.Get.Url(sound["files"]![0]!["downloadUrl"]!.GetValue<string>());
            s.As(token);
        }));
        System.Text.Encoding.ASCII.GetString(wav, 0, 4).ShouldBe("RIFF");
        System.Text.Encoding.ASCII.GetString(wav, 8, 4).ShouldBe("WAVE");

        var text = await app.Host.WaitForJobAsync(token,
            (await app.Host.SubmitJobAsync(token, "text", new { prompt = "A tagline for a bakery", maxTokens = 1500 })).IdOf());
        text["status"]!.GetValue<string>().ShouldBe("completed");
        text["creditsReserved"]!.GetValue<int>().ShouldBe(2); // (≈6 prompt tokens + 1500) / 1000, rounded up
        text["creditsUsed"]!.GetValue<int>().ShouldBeLessThanOrEqualTo(2);
        var written = await app.Host.GetAsJson<JsonObject>($"/api/generations/{text["generationId"]}", token);
        written["text"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        written["files"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_job_whose_reservation_timed_out_meanwhile_keeps_nothing_and_charges_nothing()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var submitted = await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 });
        await app.Host.WaitForJobAsync(token, submitted.IdOf(), j => j["status"]!.GetValue<string>() == "processing");

        // The reservation's durable timeout fires while the provider works (as after a very long stall).
        var reservationId = BaseAgency.Ledger.CreditLedger.ReservationIdFor($"job:{submitted.IdOf()}");
        (await app.Host.ReleaseAsync(customer.Organization.Id, reservationId, CreditReason.ReservationTimeout)).Rejection.ShouldBeNull();
        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(submitted.IdOf());

        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());
        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["errorCode"]!.GetValue<string>().ShouldBe("reservation_expired");
        job["creditReasonCode"]!.GetValue<string>().ShouldBe("reservation_timeout");
        job["generationId"].ShouldBeNull();
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        (await app.Host.GetAsJson<JsonObject>("/api/generations", token))["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Plans_with_priority_are_served_from_the_priority_queue()
    {
        var free = await app.Host.SignUpAsync();
        var professional = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(professional.Organization.Id, PlanSlug.Professional);

        async Task<Uri?> QueueOf(string token)
        {
            var tracked = await app.Host.ExecuteAndWaitAsync(async () => await app.Host.SubmitJobAsync(token, "image", new { prompt = "which queue" }));
            return tracked.Sent.Envelopes().Single(e => e.Message is BaseAgency.Generations.RunGenerationJob).Destination;
        }

        (await QueueOf(free.Tokens.AccessToken)).ShouldBe(new Uri("local://generation-image/"));
        (await QueueOf(professional.Tokens.AccessToken)).ShouldBe(new Uri("local://generation-image-priority/"));
    }

    private static async Task<byte[]> ReadBytesAsync(IScenarioResult result)
    {
        using var buffer = new MemoryStream();
        if (result.Context.Response.Body.CanSeek) result.Context.Response.Body.Position = 0;
        await result.Context.Response.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
