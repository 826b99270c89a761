using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Providers.Keys;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BaseAgency.Tests.Features.Providers;

/// <summary>Bring your own key: validated, sealed, used by jobs, never shown or leaked; the catalog; failover.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class ProviderKeysTests(ProvidersAppFixture app)
{
    private static readonly string Secret = FakeProviders.CustomerKey("elevenlabs");

    private async Task<(Guid Org, string Token)> CustomerAsync()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Business);
        return (customer.Organization.Id, customer.Tokens.AccessToken);
    }

    private Task<IScenarioResult> AddKeyAsync(string token, string provider, string apiKey, int status) =>
        app.Host.Scenario(s =>
        {
            s.Post.Json(new { provider, apiKey }).ToUrl("/api/provider-keys");
            s.As(token);
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task An_organizations_own_key_is_validated_sealed_used_and_never_shown_again()
    {
        var (org, token) = await CustomerAsync();

        // No platform key for ElevenLabs on this server: without the organization's own, jobs are refused.
        await (await app.Host.SubmitAsync(token, "audio", new { text = "hello", provider = "elevenlabs" }, 422)).ProblemAsync(422, "provider_key_missing");

        await (await AddKeyAsync(token, "elevenlabs", "not-a-real-key", 422)).ProblemAsync(422, "provider_key_invalid");
        var added = await (await AddKeyAsync(token, "elevenlabs", Secret, 201)).JsonAsync();
        added["hint"]!.GetValue<string>().ShouldBe("****1234");
        added["valid"]!.GetValue<bool>().ShouldBeTrue();
        added.ToJsonString().ShouldNotContain(Secret);

        var job = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "audio",
            new { text = "Our own voice, on our own key.", provider = "elevenlabs", voice = "voice-42" })).IdOf());
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["providerRequestId"]!.GetValue<string>().ShouldStartWith("el-");
        var call = app.Fakes.Requests.Single(r => r.Provider == "elevenlabs" && r.Body?["text"]?.GetValue<string>() == "Our own voice, on our own key.");
        call.Key.ShouldBe(Secret);
        call.Path.ShouldBe("/elevenlabs/v1/text-to-speech/voice-42");
        call.Body!["model_id"]!.GetValue<string>().ShouldBe("eleven_multilingual_v2");

        var keys = await app.Host.GetAsJson<JsonArray>("/api/provider-keys", token);
        var listed = keys.Single()!;
        listed["provider"]!.GetValue<string>().ShouldBe("elevenlabs");
        listed["requests"]!.GetValue<long>().ShouldBe(1);
        listed["lastUsedAt"].ShouldNotBeNull();
        keys.ToJsonString().ShouldNotContain(Secret);

        // Nowhere at rest or in passing: not in the stored document, the queue tables, any log line.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var table in new[] { "agency.mt_doc_providerkey", "agency.mt_doc_generationjob", "agency.wolverine_incoming_envelopes", "agency.mt_events" })
            {
                var column = table.Contains("wolverine") ? "encode(body, 'escape')" : "data::text";
                await using var command = new NpgsqlCommand($"select count(*) from {table} where {column} like @secret", connection);
                command.Parameters.AddWithValue("secret", $"%{Secret}%");
                ((long)(await command.ExecuteScalarAsync())!).ShouldBe(0, table);
            }
        }
        app.Logs.Lines.ShouldNotContain(l => l.Message.Contains(Secret) || (l.Exception != null && l.Exception.ToString().Contains(Secret)) ||
                                            l.Scope.Values.Any(v => v != null && v.ToString()!.Contains(Secret)));

        await app.Host.Scenario(s =>
        {
            s.Delete.Url("/api/provider-keys/elevenlabs");
            s.As(token);
            s.StatusCodeShouldBe(204);
        });
        (await app.Host.GetAsJson<JsonArray>("/api/provider-keys", token)).ShouldBeEmpty();
        await (await app.Host.SubmitAsync(token, "audio", new { text = "hello", provider = "elevenlabs" }, 422)).ProblemAsync(422, "provider_key_missing");
    }

    [Fact]
    public async Task Keys_are_for_admins_and_stay_in_their_organization()
    {
        var (_, token) = await CustomerAsync();
        var member = await app.Host.AddMemberAsync(token, Role.Manager);
        var (_, stranger) = await CustomerAsync();
        await AddKeyAsync(token, "openai", FakeProviders.CustomerKey("openai"), 201);

        await AddKeyAsync(member.Tokens.AccessToken, "openai", FakeProviders.CustomerKey("openai"), 403);
        (await app.Host.GetAsJson<JsonArray>("/api/provider-keys", stranger)).ShouldBeEmpty();
        await app.Host.Scenario(s =>
        {
            s.Delete.Url("/api/provider-keys/openai");
            s.As(stranger);
            s.StatusCodeShouldBe(404);
        });
        var bad = await (await AddKeyAsync(token, "acme-ai", "whatever-key", 400)).ProblemAsync(400, "validation_failed");
        bad["errors"]!["provider"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Rotating_the_encryption_key_reseals_every_stored_key()
    {
        var (org, token) = await CustomerAsync();
        await AddKeyAsync(token, "freepik", FakeProviders.CustomerKey("freepik"), 201);
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var newKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        // As an operator would: the new key added and made active, the old one still listed.
        var rotated = new KeyVault("rotated-1", new Dictionary<string, byte[]> { ["test-1"] = app.EncryptionKey, ["rotated-1"] = newKey });

        (await ProviderKeyRotation.ReencryptAllAsync(store, rotated, default)).ShouldBeGreaterThanOrEqualTo(1);

        await using var session = store.QueryFor(org);
        var sealedKey = (await session.LoadAsync<ProviderKey>("freepik"))!;
        sealedKey.Secret.KeyId.ShouldBe("rotated-1");
        var onlyNew = new KeyVault("rotated-1", new Dictionary<string, byte[]> { ["rotated-1"] = newKey });
        onlyNew.Open(sealedKey.Secret, ProviderKey.AssociatedData(org, "freepik")).ShouldBe(FakeProviders.CustomerKey("freepik"));
        // Bound to its organization: the same sealed secret does not open for another.
        Should.Throw<System.Security.Cryptography.AuthenticationTagMismatchException>(() =>
            onlyNew.Open(sealedKey.Secret, ProviderKey.AssociatedData(Guid.NewGuid(), "freepik")));
        (await ProviderKeyRotation.ReencryptAllAsync(store, rotated, default)).ShouldBe(0); // nothing left to do
    }

    [Fact]
    public async Task The_catalog_shows_prices_limits_availability_and_health()
    {
        var free = await app.Host.SignUpAsync();
        var models = (await app.Host.GetAsJson<JsonObject>("/api/models", free.Tokens.AccessToken))["items"]!.AsArray();

        var flux = models.Single(m => m!["model"]!.GetValue<string>() == "flux-pro")!;
        flux["type"]!.GetValue<string>().ShouldBe("image");
        flux["creditsPerUnit"]!.GetValue<decimal>().ShouldBe(3);
        flux["maxSide"]!.GetValue<int>().ShouldBe(2048);
        flux["usable"]!.GetValue<bool>().ShouldBeTrue();
        flux["keySource"]!.GetValue<string>().ShouldBe("platform");
        flux["health"]!.GetValue<string>().ShouldBeOneOf("healthy", "degraded");

        var kling = models.Single(m => m!["model"]!.GetValue<string>() == "kling-1.5")!;
        kling["usable"]!.GetValue<bool>().ShouldBeFalse();
        kling["reason"]!.GetValue<string>().ShouldBe("plan_feature_unavailable"); // Free makes no video
        var eleven = models.Single(m => m!["provider"]!.GetValue<string>() == "elevenlabs")!;
        eleven["reason"]!.GetValue<string>().ShouldBeOneOf("plan_feature_unavailable", "provider_key_missing");
        eleven["health"]!.GetValue<string>().ShouldBe("not_configured");

        var audio = (await app.Host.GetAsJson<JsonObject>("/api/models?type=audio", free.Tokens.AccessToken))["items"]!.AsArray();
        audio.ShouldAllBe(m => m!["type"]!.GetValue<string>() == "audio");
    }

    [Fact]
    public async Task A_request_that_allows_failover_moves_to_an_equivalent_model_and_pays_its_price()
    {
        var (_, token) = await CustomerAsync();

        // ElevenLabs has no key here; the configured equivalent is OpenAI's tts-1.
        var job = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "audio",
            new { text = "Fall back gracefully", provider = "elevenlabs", allowFailover = true })).IdOf());
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["provider"]!.GetValue<string>().ShouldBe("openai");
        job["model"]!.GetValue<string>().ShouldBe("tts-1");
        job["costUsd"]!.GetValue<decimal>().ShouldBe(0.0005m); // 2 s of tts-1 at $0.015 a minute
        app.Fakes.Requests.ShouldContain(r => r.Path == "/openai/v1/audio/speech" && r.Body!["input"]!.GetValue<string>() == "Fall back gracefully");
    }

    [Fact]
    public async Task When_a_providers_circuit_opens_it_shows_down_and_failover_goes_elsewhere()
    {
        var (_, token) = await CustomerAsync();
        await app.Host.GrantAsync((await app.Host.GetAsJson<JsonObject>("/api/me", token))["organization"]!["id"]!.GetValue<Guid>(), 100, "breaker-test");

        // Freepik failing every call (500): after enough failures its circuit opens (4 calls here, 10 by default).
        for (var i = 0; i < 2; i++)
            await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt = $"broken {i} [500]", provider = "freepik" })).IdOf());
        var freepik = (await app.Host.GetAsJson<JsonObject>("/api/models?type=image", token))["items"]!.AsArray()
            .Single(m => m!["provider"]!.GetValue<string>() == "freepik")!;
        freepik["health"]!.GetValue<string>().ShouldBe("down");
        freepik["reason"]!.GetValue<string>().ShouldBe("provider_down");

        var moved = await app.Host.SubmitJobAsync(token, "image", new { prompt = "somewhere else", provider = "freepik", model = "mystic", allowFailover = true });
        moved["provider"]!.GetValue<string>().ShouldBe("replicate");
        moved["model"]!.GetValue<string>().ShouldBe("flux-schnell");
        (await app.Host.WaitForJobAsync(token, moved.IdOf()))["status"]!.GetValue<string>().ShouldBe("completed");

        // After the break the circuit lets a call through again.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await app.Host.GetAsJson<JsonObject>("/api/models?type=image", token))["items"]!.AsArray()
               .Single(m => m!["provider"]!.GetValue<string>() == "freepik")!["health"]!.GetValue<string>() == "down")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The circuit never closed again.");
            await Task.Delay(100);
        }
    }
}
