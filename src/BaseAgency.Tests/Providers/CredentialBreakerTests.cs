using System.Text.Json.Nodes;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using BaseAgency.Organizations;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BaseAgency.Tests.Providers;

/// <summary>Circuit breakers per credential: one organization's failing key stops only its own jobs.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class CredentialBreakerTests(ProvidersAppFixture app)
{
    private async Task<(Guid Org, string Token)> CustomerAsync(string? ownFreepikKey = null)
    {
        var (org, token) = await app.Host.BusinessCustomerAsync();
        await app.Host.GrantAsync(org, 100, "breaker-test");
        if (ownFreepikKey is not null) await app.Host.AddProviderKeyAsync(token, "freepik", ownFreepikKey, 201);
        return (org, token);
    }

    private async Task<JsonObject> RunAsync(string token, string prompt, string provider = "freepik") =>
        await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt, provider })).IdOf());

    private async Task<ProviderKey> StoredKeyAsync(Guid org)
    {
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        return (await session.LoadAsync<ProviderKey>("freepik"))!;
    }

    [Fact]
    public async Task One_organizations_failing_key_leaves_other_organizations_jobs_running()
    {
        var failingKey = FakeProviders.CustomerKey("freepik", $"a-{Guid.NewGuid():N}");
        var goodKey = FakeProviders.CustomerKey("freepik", $"c-{Guid.NewGuid():N}");
        var (_, a) = await CustomerAsync(failingKey);
        var (_, b) = await CustomerAsync();
        var (_, c) = await CustomerAsync(goodKey);

        // A's key answers 500 to every generation: once half of 4 calls (this fixture's minimum throughput) failed, its circuit opens.
        for (var i = 0; i < 2; i++) (await RunAsync(a, $"a broken {i} [500]"))["status"]!.GetValue<string>().ShouldBe("failed");
        app.Fakes.Requests.Count(r => r.Key == failingKey && r.Method == "POST").ShouldBeLessThan(6); // 2 jobs × 3 attempts: the open circuit kept some
        var next = (await app.Host.SubmitJobAsync(a, "image", new { prompt = "a would work now", provider = "freepik" })).IdOf();
        await app.Host.WaitForJobAsync(a, next, j => j["errorCode"]?.GetValue<string>() == "provider_circuit_open");

        // Meanwhile the platform's key (B) and C's own key call the same provider as usual.
        (await RunAsync(b, "b carries on"))["status"]!.GetValue<string>().ShouldBe("completed");
        (await RunAsync(c, "c carries on"))["status"]!.GetValue<string>().ShouldBe("completed");
        app.Fakes.Requests.ShouldContain(r => r.Key == goodKey && r.Method == "POST" && r.Body!["prompt"]!.GetValue<string>() == "c carries on");
        var freepik = (await app.Host.GetAsJson<JsonObject>("/api/models?type=image", b))["items"]!.AsArray()
            .Single(m => m!["provider"]!.GetValue<string>() == "freepik")!;
        freepik["health"]!.GetValue<string>().ShouldNotBe("down"); // the public health is the platform key's
    }

    [Fact]
    public async Task Only_keys_that_jobs_use_get_a_breaker_of_their_own()
    {
        var credentials = app.Host.Services.GetRequiredService<ProviderCredentials>();
        var key = FakeProviders.CustomerKey("freepik", $"f-{Guid.NewGuid():N}");
        credentials.IdOf("freepik", FakeProviders.PlatformKey("freepik")).ShouldBe(ProviderCredential.PlatformId);
        credentials.IdOf("freepik", key).ShouldBe(ProviderCredential.UncheckedId); // being checked: shares the unchecked pipeline
        credentials.IdOf("freepik", null).ShouldBe(ProviderCredential.UncheckedId);

        var (org, _) = await CustomerAsync(key);
        var credential = await credentials.ForAsync(org, "freepik", CancellationToken.None);
        credential.Id.ShouldBe(ProviderCredential.IdOf(key));
        credentials.IdOf("freepik", key).ShouldBe(credential.Id);
    }

    [Fact]
    public async Task An_own_key_the_provider_rejects_is_marked_invalid_for_the_admin_and_not_used_again()
    {
        var key = FakeProviders.CustomerKey("freepik", $"d-{Guid.NewGuid():N}");
        var (org, token) = await CustomerAsync(key);
        app.Fakes.Revoke(key);

        var rejected = await RunAsync(token, "revoked");
        rejected["status"]!.GetValue<string>().ShouldBe("failed");
        rejected["errorCode"]!.GetValue<string>().ShouldBe("provider_auth_failed");
        var listed = (await app.Host.GetAsJson<JsonArray>("/api/provider-keys", token)).Single(k => k!["provider"]!.GetValue<string>() == "freepik")!;
        listed["valid"]!.GetValue<bool>().ShouldBeFalse();
        listed["invalidReason"]!.GetValue<string>().ShouldBe("Freepik rejected the API key.");
        listed["invalidatedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));

        // Later jobs fall back to the platform's key; the rejected one is not sent again.
        var used = app.Fakes.Requests.Count(r => r.Key == key);
        (await RunAsync(token, "after the rejection"))["status"]!.GetValue<string>().ShouldBe("completed");
        app.Fakes.Requests.Count(r => r.Key == key).ShouldBe(used);
        app.Fakes.Requests.ShouldContain(r => r.Key == FakeProviders.PlatformKey("freepik") && r.Body != null && r.Body["prompt"]!.GetValue<string>() == "after the rejection");

        // Another job's rejection of the same key, arriving late, keeps the first reason and time.
        var stored = await StoredKeyAsync(org);
        await app.Host.Services.GetRequiredService<ProviderCredentials>().RejectedAsync(org, "freepik", stored.Secret, "later", CancellationToken.None);
        (await StoredKeyAsync(org)).ShouldBe(stored);

        // A new key replaces it, valid again.
        await app.Host.AddProviderKeyAsync(token, "freepik", FakeProviders.CustomerKey("freepik", $"e-{Guid.NewGuid():N}"), 201);
        var replaced = (await app.Host.GetAsJson<JsonArray>("/api/provider-keys", token)).Single(k => k!["provider"]!.GetValue<string>() == "freepik")!;
        replaced["valid"]!.GetValue<bool>().ShouldBeTrue();
        replaced["invalidReason"].ShouldBeNull();
    }
}

/// <summary>Health kept per credential, and the names credentials go by.</summary>
public sealed class CredentialHealthTests
{
    [Fact]
    public void A_credentials_failures_and_open_circuit_leave_the_platforms_health_alone()
    {
        var health = new ProviderHealth(new FakeTimeProvider(DateTimeOffset.UtcNow));
        health.Opened("replicate", "0123456789abcdef", TimeSpan.FromSeconds(30));
        health.Failed("replicate", "0123456789abcdef");

        health.StatusOf("replicate", "0123456789abcdef").ShouldBe(ProviderHealthStatus.Down);
        health.StatusOf("replicate").ShouldBe(ProviderHealthStatus.Healthy);
        health.StatusOf("replicate", "fedcba9876543210").ShouldBe(ProviderHealthStatus.Healthy);
    }

    [Fact]
    public void A_credential_is_named_by_a_short_hash_never_by_the_key()
    {
        var id = ProviderCredential.IdOf("r8_secret-key-value");
        id.Length.ShouldBe(16);
        id.ShouldMatch("^[0-9a-f]{16}$");
        ProviderCredential.IdOf("r8_secret-key-value").ShouldBe(id);
        ProviderCredential.IdOf("r8_other-key-value").ShouldNotBe(id);
        new ProviderCredential("r8_secret-key-value", id, null).ToString().ShouldNotContain("secret");
    }
}
