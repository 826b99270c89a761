using System.Text.Json.Nodes;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Features.CreateApiKey;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BaseAgency.Tests.Webhooks;

/// <summary>Who may manage endpoints, what URLs they may point at, and where their secrets (never) appear.</summary>
[Collection(WebhookAppCollection.Name)]
public sealed class WebhookEndpointTests(WebhookAppFixture app)
{
    [Fact]
    public async Task A_plan_without_webhooks_is_refused()
    {
        var free = await app.Host.WebhookAdminAsync(PlanSlug.Free);
        var refused = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { url = "https://hooks.example.invalid/in", events = new[] { "generation.completed" } }).ToUrl("/api/webhooks");
            s.As(free.Token);
            s.StatusCodeShouldBe(403);
        });
        await refused.ProblemAsync(403, "plan_feature_unavailable");
    }

    [Fact]
    public async Task After_a_downgrade_an_endpoint_can_be_switched_off_and_deleted_but_not_used()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, "https://hooks.example.invalid/downgraded");
        await app.Host.SetPlanAsync(admin.OrganizationId, PlanSlug.Free);

        await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/webhooks/{webhookId}/test");
            s.As(admin.Token);
            s.StatusCodeShouldBe(403);
        });
        await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { description = "still here" }).ToUrl($"/api/webhooks/{webhookId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(403);
        });
        await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { enabled = false }).ToUrl($"/api/webhooks/{webhookId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(200);
        });
        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/webhooks/{webhookId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(204);
        });
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://hooks.example.invalid/in")]
    [InlineData("https://user:password@hooks.example.invalid/in")]
    [InlineData("file:///etc/passwd")]
    public async Task A_url_deliveries_could_not_use_is_a_422(string url)
    {
        var admin = await app.Host.WebhookAdminAsync();
        var refused = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { url, events = new[] { "generation.completed" } }).ToUrl("/api/webhooks");
            s.As(admin.Token);
            s.StatusCodeShouldBe(422);
        });
        await refused.ProblemAsync(422, "webhook_url_invalid");
    }

    [Fact]
    public async Task A_url_longer_than_2048_characters_or_an_unknown_event_is_refused()
    {
        var admin = await app.Host.WebhookAdminAsync();
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { url = "https://hooks.example.invalid/" + new string('a', 2048), events = new[] { "generation.completed" } }).ToUrl("/api/webhooks");
            s.As(admin.Token);
            s.StatusCodeShouldBe(422);
        });
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { url = "https://hooks.example.invalid/in", events = new[] { "everything" } }).ToUrl("/api/webhooks");
            s.As(admin.Token);
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task Another_organization_can_neither_see_nor_touch_an_endpoint()
    {
        var owner = await app.Host.WebhookAdminAsync();
        var other = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(owner.Token, "https://hooks.example.invalid/owner");

        (await app.Host.GetAsJson<JsonArray>("/api/webhooks", other.Token)).ShouldBeEmpty();
        foreach (var (method, path) in new[]
                 {
                     ("PATCH", $"/api/webhooks/{webhookId}"), ("DELETE", $"/api/webhooks/{webhookId}"), ("POST", $"/api/webhooks/{webhookId}/rotate-secret"),
                     ("POST", $"/api/webhooks/{webhookId}/test"), ("GET", $"/api/webhooks/{webhookId}/deliveries"),
                 })
        {
            await app.Host.Scenario(s =>
            {
                if (method == "PATCH") s.Patch.Json(new { enabled = false }).ToUrl(path);
                else if (method == "DELETE") s.Delete.Url(path);
                else if (method == "POST") s.Post.Url(path);
                else s.Get.Url(path);
                s.As(other.Token);
                s.StatusCodeShouldBe(404);
            });
        }
        (await app.Host.WebhookAsync(owner.Token, webhookId))["enabled"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Members_and_keys_without_the_admin_scope_cannot_manage_endpoints_and_an_admin_key_can()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (_, _, member) = await app.Host.AddMemberAsync(admin.Token, Role.Member);
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/webhooks");
            s.As(member.AccessToken);
            s.StatusCodeShouldBe(403);
        });

        var (_, generateKey) = await app.Host.CreateKeyAsync(admin, new { name = "ci", scopes = new[] { "generate" } });
        var (_, adminKey) = await app.Host.CreateKeyAsync(admin, new { name = "ops", scopes = new[] { "admin" } });
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { url = "https://hooks.example.invalid/in", events = new[] { "generation.completed" } }).ToUrl("/api/webhooks");
            s.WithRequestHeader("X-API-Key", generateKey);
            s.StatusCodeShouldBe(403);
        });
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { url = "https://hooks.example.invalid/in", events = new[] { "generation.completed" } }).ToUrl("/api/webhooks");
            s.WithRequestHeader("X-API-Key", adminKey);
            s.StatusCodeShouldBe(201);
        });
    }

    [Fact]
    public async Task Deleting_an_endpoint_removes_it_and_its_log()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, "https://hooks.example.invalid/deleted");
        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/webhooks/{webhookId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(204);
        });
        (await app.Host.GetAsJson<JsonArray>("/api/webhooks", admin.Token)).ShouldBeEmpty();
        await app.Host.GetAsJson<JsonObject>($"/api/webhooks/{webhookId}/deliveries", admin.Token, 404);
    }

    [Fact]
    public async Task Signing_secrets_are_never_stored_listed_or_logged_in_plain_text()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, secret) = await app.Host.CreateWebhookAsync(admin.Token, "https://hooks.example.invalid/secret");
        var rotated = await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/webhooks/{webhookId}/rotate-secret");
            s.As(admin.Token);
            s.StatusCodeShouldBe(200);
        });
        var second = (await rotated.JsonAsync())["secret"]!.GetValue<string>();
        await app.Host.SendTestAsync(admin.Token, webhookId); // an attempt that signs with both (and fails: no such host)
        await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 1);

        (await RowsContainingAsync("hooks.example.invalid/secret")).ShouldNotBeEmpty(); // the search does find what is stored
        (await (await app.Host.Scenario(s => { s.Get.Url("/api/webhooks"); s.As(admin.Token); })).ReadAsTextAsync()).ShouldNotContain("whsec_");
        foreach (var plain in new[] { secret, second, secret["whsec_".Length..], second["whsec_".Length..] })
        {
            app.Logs.Lines.ShouldNotContain(l => l.Message.Contains(plain) || (l.Exception != null && l.Exception.ToString().Contains(plain)));
            (await RowsContainingAsync(plain)).ShouldBeEmpty();
        }
    }

    /// <summary>Every table of the app's database (documents, events, Wolverine's queues and logs) searched as text.</summary>
    private async Task<List<string>> RowsContainingAsync(string text)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables " +
            "where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));

        var found = new List<string>();
        foreach (var table in tables)
        {
            // Wolverine keeps message bodies as bytea: read as text too.
            await using var search = new NpgsqlCommand(
                $"select count(*) from {table} t where position($1 in t::text) > 0 or position($2 in t::text) > 0", connection);
            search.Parameters.Add(new NpgsqlParameter { Value = text });
            search.Parameters.Add(new NpgsqlParameter { Value = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text)) });
            if ((long)(await search.ExecuteScalarAsync())! > 0) found.Add(table);
        }
        return found;
    }
}
