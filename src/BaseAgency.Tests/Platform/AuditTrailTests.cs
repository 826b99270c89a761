using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Platform;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BaseAgency.Tests.Platform;

/// <summary>How a request is named in the log, as a function.</summary>
public sealed class AuditDescriptionTests
{
    [Theory]
    [InlineData("PATCH", "organization/members/{userId:guid}", "42", "ChangeMemberRole", "/api/organization/members/42", "", "change_member_role", "members", "42")]
    [InlineData("POST", "admin/purchases/{purchaseId:guid}/mark-paid", "7", "MarkPurchasePaid", "/api/admin/purchases/7/mark-paid", "", "mark_purchase_paid", "purchases", "7")]
    [InlineData("POST", "organization/invitations", null, "InviteMember", "/api/organization/invitations", "/api/organization/invitations/9", "invite_member", "invitations", "9")]
    [InlineData("POST", "auth/signup", null, "SignUp", "/api/auth/signup", "/api/me", "sign_up", "signup", null)]
    [InlineData("POST", "auth/login", null, null, "/api/auth/login", "", "post auth/login", "login", null)]
    public void The_action_is_the_operation_id_and_the_resource_comes_from_the_route(string method, string template, string? routeValue,
        string? operationId, string path, string location, string action, string? resourceType, string? resourceId)
    {
        var route = RoutePatternFactory.Parse(template);
        var values = new RouteValueDictionary(route.Parameters.ToDictionary(p => p.Name, object? (_) => routeValue));

        AuditTrail.Describe(method, route, operationId, values, path, location).ShouldBe((action, resourceType, resourceId));
    }

    [Theory]
    [InlineData(200, AuditOutcome.Succeeded)]
    [InlineData(204, AuditOutcome.Succeeded)]
    [InlineData(401, AuditOutcome.Refused)]
    [InlineData(429, AuditOutcome.Refused)]
    [InlineData(500, AuditOutcome.Failed)]
    public void The_outcome_follows_the_status(int status, AuditOutcome outcome) => AuditTrail.OutcomeOf(status).ShouldBe(outcome);

    [Fact]
    public void Retention_keeps_exactly_the_window()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        AuditRetention.CutoffOf(now, 365).ShouldBe(now.AddDays(-365));
    }
}

/// <summary>Every state-changing request leaves one entry: who, what, which resource, from where, and the answer.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditTrailTests(AppFixture app)
{
    [Fact]
    public async Task Members_and_their_changes_are_recorded_with_actor_resource_ip_and_request_id()
    {
        var email = Api.NewEmail("admin");
        var (signedUp, signUp) = await app.Host.AuditedAsync(s => s.Post.Json(Api.NewSignUp(email)).ToUrl("/api/auth/signup"), 201);
        var admin = (await signedUp.JsonAsync())!;
        var org = admin["organization"]!["id"]!.GetValue<Guid>();
        var adminId = admin["user"]!["id"]!.GetValue<Guid>();
        var token = admin["tokens"]!["accessToken"]!.GetValue<string>();
        signUp.ShouldBe("sign_up", adminId, org, 201);
        await app.Host.SetPlanAsync(org, PlanSlug.Starter); // room for members

        var memberEmail = Api.NewEmail("member");
        var (invited, invite) = await app.Host.AuditedAsync(s => s.Post.Json(new { email = memberEmail, role = "member" }).ToUrl("/api/organization/invitations"), 201, token);
        var invitation = await invited.JsonAsync();
        invite.ShouldBe("invite_member", adminId, org, 201);
        (invite.ResourceType, invite.ResourceId).ShouldBe(("invitations", invitation["id"]!.GetValue<string>()));

        var invitationToken = invitation["token"]!.GetValue<string>();
        var (accepted, accept) = await app.Host.AuditedAsync(s => s.Post.Json(new { token = invitationToken, name = "New Member", password = Api.Password })
            .ToUrl("/api/auth/accept-invitation"), 201);
        var memberId = (await accepted.JsonAsync())["user"]!["id"]!.GetValue<Guid>();
        accept.ShouldBe("accept_invitation", memberId, org, 201);

        var (_, role) = await app.Host.AuditedAsync(s => s.Patch.Json(new { role = "manager" }).ToUrl($"/api/organization/members/{memberId}"), 200, token);
        role.ShouldBe("change_member_role", adminId, org, 200);
        (role.ResourceType, role.ResourceId).ShouldBe(("members", memberId.ToString()));

        var (_, removed) = await app.Host.AuditedAsync(s => s.Delete.Url($"/api/organization/members/{memberId}"), 204, token);
        removed.ShouldBe("remove_member", adminId, org, 204);
        (removed.ResourceType, removed.ResourceId).ShouldBe(("members", memberId.ToString()));

        var (_, refused) = await app.Host.AuditedAsync(s => s.Delete.Url($"/api/organization/members/{memberId}"), 404, token);
        refused.ShouldBe("remove_member", adminId, org, 404, AuditOutcome.Refused);
        refused.Code.ShouldBe("not_found");

        var changes = await app.Host.ChangeEntriesAsync(org);
        changes["member.invited"].Changes!["role"].ShouldBe(new AuditChange(null, "member"));
        changes["member.role_changed"].Changes!["role"].ShouldBe(new AuditChange("member", "manager"));
        changes["member.removed"].Changes!["role"].ShouldBe(new AuditChange("manager", null));
        changes["member.removed"].ActorId.ShouldBe(adminId);
        changes["subscription.changed"].Changes!["plan"].ShouldBe(new AuditChange("free", "starter"));

        await app.ShouldHoldNoSecretAsync(Api.Password, token, invitationToken, admin["tokens"]!["refreshToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sign_ins_failed_and_locked_and_refresh_token_reuse_are_recorded_though_refused()
    {
        var customer = await app.Host.SignUpAsync();
        var email = customer.User.Email;

        var (signedIn, ok) = await app.Host.AuditedAsync(s => s.Post.Json(new { email, password = Api.Password }).ToUrl("/api/auth/login"), 200);
        ok.ShouldBe("login", customer.User.Id, customer.Organization.Id, 200);

        const string wrong = "not-the-password-42";
        var (_, failed) = await app.Host.AuditedAsync(s => s.Post.Json(new { email, password = wrong }).ToUrl("/api/auth/login"), 401);
        failed.ShouldBe("login", null, null, 401, AuditOutcome.Refused);
        failed.Code.ShouldBe("invalid_credentials");
        for (var i = 0; i < 4; i++) await app.Host.AuditedAsync(s => s.Post.Json(new { email, password = wrong }).ToUrl("/api/auth/login"), 401);
        var (_, locked) = await app.Host.AuditedAsync(s => s.Post.Json(new { email, password = Api.Password }).ToUrl("/api/auth/login"), 429);
        locked.ShouldBe("login", null, null, 429, AuditOutcome.Refused);
        locked.Code.ShouldBe("login_locked");

        var refreshToken = (await signedIn.ReadAsJsonAsync<TokenPair>())!.RefreshToken;
        var (_, refreshed) = await app.Host.AuditedAsync(s => s.Post.Json(new { refreshToken }).ToUrl("/api/auth/refresh"), 200);
        refreshed.ShouldBe("refresh_session", customer.User.Id, customer.Organization.Id, 200);
        var (_, reused) = await app.Host.AuditedAsync(s => s.Post.Json(new { refreshToken }).ToUrl("/api/auth/refresh"), 401);
        reused.ShouldBe("refresh_session", null, null, 401, AuditOutcome.Refused);
        reused.Code.ShouldBe("refresh_token_reused");

        await app.ShouldHoldNoSecretAsync(Api.Password, wrong, refreshToken, customer.Tokens.AccessToken, customer.Tokens.RefreshToken);
    }

    [Fact]
    public async Task Credits_plans_purchases_and_generations_are_recorded_beside_the_operators_domain_entries()
    {
        var customer = await app.Host.SignUpAsync();
        var (org, token) = (customer.Organization.Id, customer.Tokens.AccessToken);
        var operatorOrg = await app.Host.OperatorAsync();

        var (bought, buy) = await app.Host.AuditedAsync(s => s.Post.Json(new { packId = "credits-100" }).ToUrl("/api/credits/purchases"), 201, token);
        var purchaseId = (await bought.JsonAsync())["id"]!.GetValue<Guid>();
        buy.ShouldBe("buy_credits", customer.User.Id, org, 201);
        (buy.ResourceType, buy.ResourceId).ShouldBe(("purchases", purchaseId.ToString()));

        var (_, paid) = await app.Host.AuditedAsync(s => s.Post.Url($"/api/admin/purchases/{purchaseId}/mark-paid"), 200, operatorOrg.Tokens.AccessToken);
        paid.ShouldBe("mark_purchase_paid", operatorOrg.User.Id, operatorOrg.Organization.Id, 200);
        (paid.ResourceType, paid.ResourceId).ShouldBe(("purchases", purchaseId.ToString()));

        var (_, adjusted) = await app.Host.AuditedAsync(s => s.Post.Json(new { amount = 5, reason = "Goodwill" })
            .ToUrl($"/api/admin/organizations/{org}/credits/adjustments"), 201, operatorOrg.Tokens.AccessToken);
        adjusted.ShouldBe("adjust_credits", operatorOrg.User.Id, operatorOrg.Organization.Id, 201);
        (adjusted.ResourceType, adjusted.ResourceId).ShouldBe(("organizations", org.ToString()));

        var (_, plan) = await app.Host.AuditedAsync(s => s.Post.Json(new { plan = "starter" }).ToUrl("/api/subscription"), 202, token);
        plan.ShouldBe("change_plan", customer.User.Id, org, 202);

        var (submitted, generation) = await app.Host.AuditedAsync(s => s.Post.Json(new { prompt = "an audited lighthouse" }).ToUrl("/api/generations/image"), 202, token);
        generation.ShouldBe("generate_image", customer.User.Id, org, 202);
        var jobId = (await submitted.JsonAsync()).IdOf();
        await app.Host.WaitForJobAsync(token, jobId);
        var (_, cancel) = await app.Host.AuditedAsync(s => s.Post.Url($"/api/jobs/{jobId}/cancel"), 409, token);
        cancel.ShouldBe("cancel_job", customer.User.Id, org, 409, AuditOutcome.Refused);
        (cancel.ResourceType, cancel.ResourceId).ShouldBe(("jobs", jobId.ToString()));

        // The handlers' domain entries stay: the affected organization, with what changed.
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var domain = await session.Query<AuditEntry>().Where(a => a.OrganizationId == org && a.Kind == AuditKind.Change).ToListAsync();
        domain.Select(a => a.Action).Order().ShouldBe(["credits.adjusted", "purchase.marked_paid", "subscription.changed"]);
        domain.Where(a => a.Action != "subscription.changed").ShouldAllBe(a => a.ActorId == operatorOrg.User.Id);
        // Signing up started the Free plan; the upgrade waits for its invoice, so the plan has not changed yet.
        domain.Single(a => a.Action == "subscription.changed").Changes!["plan"].ShouldBe(new AuditChange(null, "free"));
    }

    [Fact]
    public async Task The_client_behind_a_trusted_proxy_is_seen_and_a_forged_forward_from_anyone_else_is_not()
    {
        await using var behindProxy = await app.StartAnotherNodeAsync(("Http:TrustedProxies:0", "10.9.0.0/16"));
        async Task<string?> SignUpFromAsync(string remote)
        {
            var requestId = Guid.NewGuid().ToString("N");
            await behindProxy.Scenario(s =>
            {
                s.Post.Json(Api.NewSignUp(Api.NewEmail("proxied"))).ToUrl("/api/auth/signup");
                s.WithRequestHeader("X-Forwarded-For", "203.0.113.7");
                s.WithRequestHeader(AuditedRequests.RequestIdHeader, requestId);
                s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = IPAddress.Parse(remote));
                s.StatusCodeShouldBe(201);
            });
            await using var session = behindProxy.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                if (await session.Query<AuditEntry>().SingleOrDefaultAsync(a => a.RequestId == requestId) is { } entry) return entry.Ip;
                await Task.Delay(50);
            }
            return null;
        }

        (await SignUpFromAsync("10.9.1.2")).ShouldBe("203.0.113.7");
        (await SignUpFromAsync("10.8.1.2")).ShouldBe("10.8.1.2");
    }

    [Fact]
    public async Task Reads_and_unknown_routes_are_not_recorded()
    {
        var customer = await app.Host.SignUpAsync();
        var (_, read) = await app.Host.AuditedAsync(s => s.Get.Url("/api/organization/members"), 200, customer.Tokens.AccessToken);
        read.ShouldBeNull();
        var (_, unknown) = await app.Host.AuditedAsync(s => s.Post.Json(new { }).ToUrl("/api/nothing-here"), 404);
        unknown.ShouldBeNull();
    }
}

/// <summary>Requests sent from a known IP, user agent and request id, and the entries they leave.</summary>
public static class AuditedRequests
{
    public const string Ip = "203.0.113.7";
    public const string Agent = "audit-tests/1.0";

    public const string RequestIdHeader = BaseAgency.Http.HttpConventions.RequestIdHeader;

    /// <summary>Sends the request from a known IP, user agent and request id, and returns its answer and its one entry.</summary>
    public static async Task<(IScenarioResult Result, AuditEntry? Entry)> AuditedAsync(this IAlbaHost host, Action<Scenario> request, int status,
        string? token = null)
    {
        var requestId = Guid.NewGuid().ToString("N");
        // The test server hands back the answer as soon as it starts; the entry is written once the endpoint is done.
        var answered = new TaskCompletionSource();
        var result = await host.Scenario(s =>
        {
            request(s);
            if (token is not null) s.As(token);
            s.WithRequestHeader(RequestIdHeader, requestId);
            s.WithRequestHeader("User-Agent", Agent);
            s.ConfigureHttpContext(http =>
            {
                http.Connection.RemoteIpAddress = IPAddress.Parse(Ip);
                http.Response.OnCompleted(() => Task.Run(answered.SetResult));
            });
            s.StatusCodeShouldBe(status);
        });
        await answered.Task;
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (result, await session.Query<AuditEntry>().SingleOrDefaultAsync(a => a.RequestId == requestId));
    }

    public static void ShouldBe([NotNull] this AuditEntry? entry, string action, Guid? actor, Guid? organization, int status,
        AuditOutcome outcome = AuditOutcome.Succeeded)
    {
        entry.ShouldNotBeNull().Kind.ShouldBe(AuditKind.Request);
        entry.Action.ShouldBe(action);
        entry.ActorId.ShouldBe(actor);
        entry.OrganizationId.ShouldBe(organization);
        (entry.Status, entry.Outcome).ShouldBe((status, outcome));
        (entry.Ip, entry.UserAgent).ShouldBe((Ip, Agent));
        entry.Route.ShouldNotBeNull().ShouldContain("api/");
    }

    /// <summary>The organization's change entries by action (the latest of each).</summary>
    public static async Task<Dictionary<string, AuditEntry>> ChangeEntriesAsync(this IAlbaHost host, Guid organizationId)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var entries = await session.Query<AuditEntry>().Where(a => a.OrganizationId == organizationId && a.Kind == AuditKind.Change)
            .OrderBy(a => a.At).ToListAsync();
        return entries.GroupBy(a => a.Action).ToDictionary(g => g.Key, g => g.Last());
    }

    /// <summary>Scans every entry stored so far by this test run (all tests share the database), as stored.</summary>
    public static async Task ShouldHoldNoSecretAsync(this AppFixture app, params string[] secrets)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select data::text from agency.mt_doc_auditentry", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = 0;
        while (await reader.ReadAsync())
        {
            entries++;
            var stored = reader.GetString(0);
            foreach (var secret in secrets) stored.ShouldNotContain(secret);
        }
        entries.ShouldBeGreaterThan(0);
    }
}

/// <summary>Bring-your-own keys: adding and removing one is recorded, the key itself never.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class ProviderKeyAuditTests(ProvidersAppFixture app)
{
    [Fact]
    public async Task Adding_and_removing_a_provider_key_is_recorded_without_the_key()
    {
        var (org, token) = await app.Host.BusinessCustomerAsync();
        var key = FakeProviders.CustomerKey("elevenlabs");

        var (_, refused) = await app.Host.AuditedAsync(s => s.Post.Json(new { provider = "elevenlabs", apiKey = "not-a-real-key" }).ToUrl("/api/provider-keys"),
            422, token);
        refused.ShouldBe("add_provider_key", refused?.ActorId, org, 422, AuditOutcome.Refused);
        refused.Code.ShouldBe("provider_key_invalid");
        refused.ActorId.ShouldNotBeNull();
        var (_, added) = await app.Host.AuditedAsync(s => s.Post.Json(new { provider = "elevenlabs", apiKey = key }).ToUrl("/api/provider-keys"), 201, token);
        added.ShouldBe("add_provider_key", refused.ActorId, org, 201);
        (added.ResourceType, added.ResourceId).ShouldBe(("provider-keys", "elevenlabs"));
        var (_, removed) = await app.Host.AuditedAsync(s => s.Delete.Url("/api/provider-keys/elevenlabs"), 204, token);
        removed.ShouldBe("delete_provider_key", refused.ActorId, org, 204);
        (removed.ResourceType, removed.ResourceId).ShouldBe(("provider-keys", "elevenlabs"));
        var changes = await app.Host.ChangeEntriesAsync(org);
        changes["provider_key.added"].Changes!["key"].ShouldBe(new AuditChange(null, "****" + key[^4..]));
        changes["provider_key.removed"].Changes!["key"].ShouldBe(new AuditChange("****" + key[^4..], null));

        await app.ShouldHoldNoSecretAsync(key, "not-a-real-key", token);
    }
}
