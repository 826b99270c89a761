using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Caching;
using BaseAgency.Generations;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using Marten;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BaseAgency.Tests.Features.CreateApiKey;

/// <summary>API keys through the public API: made, used both ways, listed, rotated, revoked, and held to their scopes and limits.</summary>
[Collection(AppCollection.Name)]
public sealed class ApiKeyTests(AppFixture app)
{
    [Fact]
    public async Task A_makers_keys_stop_working_when_the_maker_is_removed_or_no_longer_an_admin()
    {
        var owner = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var demoted = await app.Host.AddMemberAsync(owner.Token, Role.Admin);
        var removed = await app.Host.AddMemberAsync(owner.Token, Role.Admin);
        var (_, demotedKey) = await app.Host.CreateKeyAsync(owner with { UserId = demoted.UserId, Token = demoted.Tokens.AccessToken },
            new { name = "demoted's", scopes = new[] { "admin" } });
        var (_, removedKey) = await app.Host.CreateKeyAsync(owner with { UserId = removed.UserId, Token = removed.Tokens.AccessToken },
            new { name = "removed's", scopes = new[] { "read" } });
        var (_, ownersKey) = await app.Host.CreateKeyAsync(owner, new { name = "owner's", scopes = new[] { "read" } });
        await app.Host.CallAsync(demotedKey, "/api/api-keys", 200);

        await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "manager" }).ToUrl($"/api/organization/members/{demoted.UserId}");
            s.As(owner.Token);
        });
        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/organization/members/{removed.UserId}");
            s.As(owner.Token);
            s.StatusCodeShouldBe(204);
        });

        await app.Host.CallAsync(demotedKey, "/api/api-keys", 401);
        await app.Host.CallAsync(removedKey, "/api/credits/balance", 401);
        await app.Host.CallAsync(ownersKey, "/api/credits/balance", 200);
        var reasons = (await app.Host.GetAsJson<JsonObject>("/api/audit-logs?action=api_key.revoked", owner.Token))["items"]!.AsArray()
            .Select(i => i!["changes"]!["reason"]!["new"]!.GetValue<string>()).Order().ToList();
        reasons.ShouldBe(["maker_no_longer_admin", "maker_removed"]);
    }

    [Fact]
    public async Task A_key_is_made_used_listed_rotated_and_revoked()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (keyId, secret) = await app.Host.CreateKeyAsync(admin, new { name = "CI", scopes = new[] { "read", "generate" } });
        secret.ShouldStartWith("ba_live_");
        secret.Length.ShouldBe(51);

        await app.Host.CallAsync(secret, "/api/credits/balance", 200, header: true);
        await app.Host.CallAsync(secret, "/api/jobs", 200, header: false);
        var submitted = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { prompt = "a key's cat" }).ToUrl("/api/generations/image");
            s.WithRequestHeader("X-API-Key", secret);
            s.StatusCodeShouldBe(202);
        });
        await using (var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(admin.OrganizationId))
        {
            var job = await session.LoadAsync<GenerationJob>((await submitted.JsonAsync())["id"]!.GetValue<Guid>());
            (job!.UserId, job.ApiKeyId).ShouldBe((admin.UserId, keyId)); // attributed to the key and its creator
        }

        await app.Host.Services.GetRequiredService<ApiKeyUsage>().FlushAsync(CancellationToken.None);
        var listed = await app.Host.ListKeysAsync(admin.Token);
        var key = listed.Single(k => k!["id"]!.GetValue<Guid>() == keyId)!;
        key["prefix"]!.GetValue<string>().ShouldBe(secret[..16]);
        key["lastUsedAt"].ShouldNotBeNull();
        listed.ToJsonString().ShouldNotContain(secret[16..]);
        listed.ToJsonString().ShouldNotContain("hash", Case.Insensitive);

        // In the overlap both secrets work; a rotation without overlap ends the previous one at once.
        var second = await app.Host.RotateAsync(admin.Token, keyId, new { });
        await app.Host.CallAsync(secret, "/api/credits/balance", 200);
        await app.Host.CallAsync(second, "/api/credits/balance", 200, header: false);
        var third = await app.Host.RotateAsync(admin.Token, keyId, new { overlap = "00:00:00" });
        await app.Host.CallAsync(third, "/api/credits/balance", 200);
        await app.Host.CallAsync(second, "/api/credits/balance", 401);
        await app.Host.CallAsync(secret, "/api/credits/balance", 401);

        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/api-keys/{keyId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(204);
        });
        await app.Host.CallAsync(third, "/api/credits/balance", 401);
        (await app.Host.ListKeysAsync(admin.Token)).Single(k => k!["id"]!.GetValue<Guid>() == keyId)!["revokedAt"].ShouldNotBeNull();

        // The audit log names the key a request was made with, and never holds a secret.
        var audit = (await app.Host.GetWhenAsync("/api/audit-logs?limit=200", admin.Token,
            page => page["items"]!.AsArray().Any(i => i!["action"]!.GetValue<string>() == "revoke_api_key")))["items"]!.AsArray();
        var actions = audit.Select(i => (Action: i!["action"]!.GetValue<string>(), Key: i["apiKeyId"]?.GetValue<Guid>())).ToList();
        actions.ShouldContain(("generate_image", keyId));
        actions.Select(a => a.Action).ShouldContain("create_api_key");
        actions.Count(a => a.Action == "rotate_api_key").ShouldBe(2);
        actions.Select(a => a.Action).ShouldContain("revoke_api_key");
        // Beside the request entries, change entries: what became of the key, by prefix (public), never by secret.
        actions.Count(a => a.Action == "api_key.rotated").ShouldBe(2);
        var revoked = audit.Single(i => i!["action"]!.GetValue<string>() == "api_key.revoked")!;
        revoked["changes"]!["status"]!["old"]!.GetValue<string>().ShouldBe("active");
        revoked["changes"]!["status"]!["new"]!.GetValue<string>().ShouldBe("revoked");
        audit.Single(i => i!["action"]!.GetValue<string>() == "api_key.created")!["changes"]!["prefix"]!["new"]!.GetValue<string>().ShouldBe(secret[..16]);

        foreach (var s in new[] { secret, second, third })
        {
            audit.ToJsonString().ShouldNotContain(s[16..]);
            var random = s[16..];
            app.Logs.Lines.Where(l => l.Message.Contains(random) || l.Scope.Values.Any(v => v?.ToString()?.Contains(random) == true)).ShouldBeEmpty();
            (await StoredKeysTextAsync()).ShouldNotContain(random);
        }
    }

    [Fact]
    public async Task Each_scope_opens_only_its_own_operations()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (_, read) = await app.Host.CreateKeyAsync(admin, new { name = "reader", scopes = new[] { "read" } });
        var (_, generate) = await app.Host.CreateKeyAsync(admin, new { name = "generator", scopes = new[] { "generate" } });
        var (_, billing) = await app.Host.CreateKeyAsync(admin, new { name = "billing", scopes = new[] { "billing" } });
        var (_, full) = await app.Host.CreateKeyAsync(admin, new { name = "admin", scopes = new[] { "admin" } });

        await app.Host.CallAsync(read, "/api/organization/members", 200);
        await (await app.Host.PostAsync(read, "/api/generations/image", new { prompt = "no" }, 403)).ProblemAsync(403, "forbidden");
        await app.Host.PostAsync(generate, "/api/generations/image", new { prompt = "yes" }, 202);
        await app.Host.PostAsync(generate, "/api/organization/invitations", new { email = Api.NewEmail(), role = "viewer" }, 403);
        await app.Host.CallAsync(generate, "/api/billing/invoices", 403);
        await app.Host.CallAsync(billing, "/api/billing/invoices", 200);
        await app.Host.PostAsync(billing, "/api/generations/image", new { prompt = "no" }, 403);
        await app.Host.PostAsync(full, "/api/organization/invitations", new { email = Api.NewEmail(), role = "viewer" }, 201);
        await app.Host.CallAsync(full, "/api/billing/invoices", 403);
        // A key never mints or rotates keys: a leaked one could otherwise outlive its revocation.
        await app.Host.PostAsync(full, "/api/api-keys", new { name = "child", scopes = new[] { "read" } }, 403);
        await app.Host.CallAsync(full, "/api/api-keys", 200);
    }

    [Fact]
    public async Task Keys_need_a_plan_with_api_access_and_an_admin()
    {
        var free = await app.Host.SignUpAsync();
        var refused = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "x", scopes = new[] { "read" } }).ToUrl("/api/api-keys");
            s.As(free.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        (await refused.ProblemAsync(403, "plan_feature_unavailable"))["plan"]!.GetValue<string>().ShouldBe("free");

        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var member = await app.Host.AddMemberAsync(admin.Token, Role.Member);
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "x", scopes = new[] { "read" } }).ToUrl("/api/api-keys");
            s.As(member.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        var bad = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { name = "", scopes = Array.Empty<string>(), limits = new { maxParallelJobs = 0 } }).ToUrl("/api/api-keys");
            s.As(admin.Token);
            s.StatusCodeShouldBe(400);
        });
        (await bad.ProblemAsync(400, "validation_failed"))["errors"]!.AsObject().Select(e => e.Key)
            .ShouldBe(["name", "scopes", "limits.maxParallelJobs"], ignoreOrder: true);
        await app.Host.CallAsync("ba_live_" + new string('A', 43), "/api/credits/balance", 401);
        await app.Host.CallAsync("ba_live_short", "/api/credits/balance", 401, header: false);
    }

    [Fact]
    public async Task A_key_stops_working_when_its_plan_loses_api_access()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (_, secret) = await app.Host.CreateKeyAsync(admin, new { name = "before the downgrade", scopes = new[] { "read" } });
        await app.Host.CallAsync(secret, "/api/credits/balance", 200);

        await app.Host.SetPlanAsync(admin.OrganizationId, PlanSlug.Free);
        // Plans are cached for per-request checks for at most 30 s; the test skips the wait.
        await app.Host.Services.GetRequiredService<ZiggyCreatures.Caching.Fusion.IFusionCache>().RemoveAsync(CurrentPlans.CacheKey(admin.OrganizationId));

        await app.Host.CallAsync(secret, "/api/credits/balance", 401);
    }

    [Fact]
    public async Task A_key_limited_to_types_and_models_is_refused_others()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (_, textOnly) = await app.Host.CreateKeyAsync(admin, new { name = "text", scopes = new[] { "generate" }, allowedTypes = new[] { "text" } });
        var (_, oneModel) = await app.Host.CreateKeyAsync(admin, new { name = "model", scopes = new[] { "generate" }, allowedModels = new[] { "local/nope" } });

        await (await app.Host.PostAsync(textOnly, "/api/generations/image", new { prompt = "x" }, 403)).ProblemAsync(403, "api_key_not_allowed");
        await app.Host.PostAsync(textOnly, "/api/generations/text", new { prompt = "x" }, 202);
        await (await app.Host.PostAsync(oneModel, "/api/generations/image", new { prompt = "x" }, 403)).ProblemAsync(403, "api_key_not_allowed");
    }

    [Fact]
    public async Task A_key_holds_its_monthly_credits_and_its_parallel_jobs()
    {
        await app.Host.UseScriptedProviderAsync();
        var scripted = app.Host.Services.GetRequiredService<ScriptedProvider>();
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var image = new { prompt = "held", provider = ScriptedProvider.ProviderName, model = ScriptedProvider.Model, width = 512, height = 512 };
        const int credits = 2; // ScriptedProvider.Price: 2 credits an image

        var (_, capped) = await app.Host.CreateKeyAsync(admin, new { name = "cap", scopes = new[] { "generate" }, limits = new { monthlyCredits = credits * 2 + 1 } });
        var first = await (await app.Host.PostAsync(capped, "/api/generations/image", image, 202)).JsonAsync();
        var second = await (await app.Host.PostAsync(capped, "/api/generations/image", image, 202)).JsonAsync();
        var over = await (await app.Host.PostAsync(capped, "/api/generations/image", image, 403)).ProblemAsync(403, "api_key_credit_cap_reached");
        over["spent"]!.GetValue<long>().ShouldBe(credits * 2);

        var (_, single) = await app.Host.CreateKeyAsync(admin, new { name = "one", scopes = new[] { "generate" }, limits = new { maxParallelJobs = 1 } });
        var running = await (await app.Host.PostAsync(single, "/api/generations/image", image, 202)).JsonAsync();
        await (await app.Host.PostAsync(single, "/api/generations/image", image, 429)).ProblemAsync(429, "api_key_parallel_jobs");
        // Another key and the session are not held by this key's limit.
        await app.Host.SubmitAsync(admin.Token, "image", new { prompt = "session" });

        foreach (var job in new[] { first, second, running })
        {
            scripted.Release(job["id"]!.GetValue<Guid>());
            (await app.Host.WaitForJobAsync(admin.Token, job["id"]!.GetValue<Guid>()))["status"]!.GetValue<string>().ShouldBe("completed");
        }
        var next = await (await app.Host.PostAsync(single, "/api/generations/image", image, 202)).JsonAsync();
        scripted.Release(next["id"]!.GetValue<Guid>());
        await (await app.Host.PostAsync(capped, "/api/generations/image", image, 403)).ProblemAsync(403, "api_key_credit_cap_reached");
    }

    [Fact]
    public async Task Parallel_submissions_of_one_key_never_exceed_its_limit()
    {
        await app.Host.UseScriptedProviderAsync();
        var scripted = app.Host.Services.GetRequiredService<ScriptedProvider>();
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (_, key) = await app.Host.CreateKeyAsync(admin, new { name = "race", scopes = new[] { "generate" }, limits = new { maxParallelJobs = 2 } });
        var image = new { prompt = "race", provider = ScriptedProvider.ProviderName, model = ScriptedProvider.Model, width = 512, height = 512 };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Json(image).ToUrl("/api/generations/image");
            s.WithRequestHeader("X-API-Key", key);
            s.IgnoreStatusCode();
        })));
        var accepted = results.Where(r => r.Context.Response.StatusCode == 202).ToList();
        accepted.Count.ShouldBe(2);
        results.Count(r => r.Context.Response.StatusCode == 429).ShouldBe(6);
        foreach (var job in accepted) scripted.Release((await job.JsonAsync())["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_revoked_key_is_refused_by_another_node_within_a_second()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (keyId, secret) = await app.Host.CreateKeyAsync(admin, new { name = "two nodes", scopes = new[] { "read" } });
        await using var other = await app.StartAnotherNodeAsync();
        await other.Services.GetRequiredService<CacheInvalidationListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await other.CallAsync(secret, "/api/credits/balance", 200); // now cached on the other node

        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/api-keys/{keyId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(204);
        });
        await app.Host.CallAsync(secret, "/api/credits/balance", 401);

        // The revocation's NOTIFY reaches the other node's listener milliseconds after the commit.
        var deadline = DateTime.UtcNow.AddSeconds(1);
        int status;
        do status = (await other.Scenario(s =>
        {
            s.Get.Url("/api/credits/balance");
            s.WithRequestHeader("X-API-Key", secret);
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode;
        while (status == 200 && DateTime.UtcNow < deadline);
        status.ShouldBe(401);
    }

    private async Task<string> StoredKeysTextAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select coalesce(string_agg(data::text, ''), '') from agency.mt_doc_apikey", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

}

public sealed record KeyAdmin(Guid OrganizationId, Guid UserId, string Token);

/// <summary>Calls made with an API key.</summary>
public static class ApiKeyCalls
{
    /// <summary>A new organization on a plan with API access, and its admin.</summary>
    public static async Task<KeyAdmin> ProfessionalAdminAsync(IAlbaHost host)
    {
        var signedUp = await host.SignUpAsync();
        await host.SetPlanAsync(signedUp.Organization.Id, PlanSlug.Professional);
        return new KeyAdmin(signedUp.Organization.Id, signedUp.User.Id, signedUp.Tokens.AccessToken);
    }

    public static async Task<(Guid Id, string Secret)> CreateKeyAsync(this IAlbaHost host, KeyAdmin admin, object body)
    {
        var created = await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/api-keys");
            s.As(admin.Token);
            s.StatusCodeShouldBe(201);
        });
        var json = await created.JsonAsync();
        return (json["key"]!["id"]!.GetValue<Guid>(), json["secret"]!.GetValue<string>());
    }

    public static async Task<string> RotateAsync(this IAlbaHost host, string adminToken, Guid keyId, object body)
    {
        var rotated = await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl($"/api/api-keys/{keyId}/rotate");
            s.As(adminToken);
            s.StatusCodeShouldBe(200);
        });
        return (await rotated.JsonAsync())["secret"]!.GetValue<string>();
    }

    public static async Task<JsonArray> ListKeysAsync(this IAlbaHost host, string adminToken) =>
        await (await host.Scenario(s =>
        {
            s.Get.Url("/api/api-keys");
            s.As(adminToken);
            s.StatusCodeShouldBe(200);
        })).JsonAsync<JsonArray>();

    /// <summary>A GET with the key in X-API-Key (<paramref name="header"/>) or as a bearer token.</summary>
    public static Task<IScenarioResult> CallAsync(this IAlbaHost host, string secret, string url, int status, bool header = true) =>
        host.Scenario(s =>
        {
            s.Get.Url(url);
            if (header) s.WithRequestHeader("X-API-Key", secret);
            else s.WithRequestHeader("Authorization", $"Bearer {secret}");
            s.StatusCodeShouldBe(status);
        });

    public static Task<IScenarioResult> PostAsync(this IAlbaHost host, string secret, string url, object body, int status) =>
        host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader("X-API-Key", secret);
            s.StatusCodeShouldBe(status);
        });
}
