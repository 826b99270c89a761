using System.Text.Json.Nodes;
using BaseAgency.Features.ListModels;
using BaseAgency.Providers;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListModels;

/// <summary>The catalog: prices, limits, availability and provider health, including a provider whose circuit opened.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class ListModelsTests(ProvidersAppFixture app)
{
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
    public async Task When_a_providers_circuit_opens_it_shows_down_and_failover_goes_elsewhere()
    {
        var (_, token) = await app.Host.BusinessCustomerAsync();
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

/// <summary>Whether an organization can use a model, as a function of its plan, its keys and the provider's health.</summary>
public sealed class ModelAvailabilityTests
{
    [Fact]
    public void A_provider_that_needs_no_key_is_usable_while_it_is_up()
    {
        ListModelsHandler.Availability(planAllows: true, external: false, ownKey: false, platformKey: false, ProviderHealthStatus.Healthy)
            .ShouldBe(new ModelAvailability(null, ProviderHealthStatus.Healthy, null));
        ListModelsHandler.Availability(planAllows: true, external: false, ownKey: false, platformKey: false, ProviderHealthStatus.Down)
            .ShouldBe(new ModelAvailability(null, ProviderHealthStatus.Down, "provider_down"));
    }

    [Fact]
    public void The_organizations_own_key_comes_before_the_platforms()
    {
        ListModelsHandler.Availability(planAllows: true, external: true, ownKey: true, platformKey: true, ProviderHealthStatus.Degraded)
            .ShouldBe(new ModelAvailability("organization", ProviderHealthStatus.Degraded, null));
        ListModelsHandler.Availability(planAllows: true, external: true, ownKey: false, platformKey: true, ProviderHealthStatus.Healthy)
            .ShouldBe(new ModelAvailability("platform", ProviderHealthStatus.Healthy, null));
    }

    [Fact]
    public void An_external_provider_without_any_key_is_not_configured_whatever_its_circuit_says() =>
        ListModelsHandler.Availability(planAllows: true, external: true, ownKey: false, platformKey: false, ProviderHealthStatus.Down)
            .ShouldBe(new ModelAvailability(null, ProviderHealthStatus.NotConfigured, "provider_key_missing"));

    [Fact]
    public void The_plan_is_the_reason_given_before_a_missing_key() =>
        ListModelsHandler.Availability(planAllows: false, external: true, ownKey: false, platformKey: false, ProviderHealthStatus.Healthy)
            .Reason.ShouldBe("plan_feature_unavailable");
}
