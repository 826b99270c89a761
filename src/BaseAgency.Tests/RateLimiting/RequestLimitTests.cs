using Alba;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.RateLimiting;

[Collection(LimitedAppCollection.Name)]
public sealed class RequestLimitTests(LimitedAppFixture app)
{
    [Fact]
    public async Task A_free_organization_submits_five_generations_a_minute_and_the_sixth_is_refused_with_retry_after()
    {
        await app.Host.UseScriptedProviderAsync();
        var token = (await app.Host.SignUpFromNewIpAsync()).Tokens.AccessToken;

        for (var i = 1; i <= 5; i++)
        {
            var accepted = await app.Host.SubmitAsync(token, "image", Limited.QuickImage);
            accepted.Header("X-RateLimit-Limit").ShouldBe("5");
            accepted.Header("X-RateLimit-Remaining").ShouldBe((5 - i).ToString());
            int.Parse(accepted.Header("X-RateLimit-Reset")).ShouldBeInRange(1, 60);
            accepted.Header("RateLimit-Policy").ShouldContain("\"organization-minute\";q=5;w=60");
            accepted.Header("RateLimit-Policy").ShouldContain("\"organization-day\";q=100;w=86400");
            accepted.Header("RateLimit").ShouldStartWith($"\"organization-minute\";r={5 - i};t=");
        }

        var refused = await app.Host.SubmitAsync(token, "image", Limited.QuickImage, status: 429);
        var problem = await refused.ProblemAsync(429, "rate_limited");
        problem["policy"]!.GetValue<string>().ShouldBe("organization-minute");
        int.Parse(refused.Header("Retry-After")).ShouldBeInRange(1, 60);
        refused.Header("X-RateLimit-Remaining").ShouldBe("0");

        // Reading is browsing, limited per user, not by the plan's submission limit.
        await app.Host.Scenario(s => { s.Get.Url("/api/jobs"); s.As(token); s.StatusCodeShouldBe(200); });
    }

    [Fact]
    public async Task A_starter_organization_submits_twenty_a_minute()
    {
        var customer = await app.Host.SignUpFromNewIpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var token = customer.Tokens.AccessToken;

        // Every submission counts, accepted or not: twenty malformed ones use up the minute without touching a ledger.
        for (var i = 1; i <= 20; i++) await app.Host.SubmitAsync(token, "image", new { }, status: 400);
        var refused = await app.Host.SubmitAsync(token, "image", Limited.QuickImage, status: 429);
        await refused.ProblemAsync(429, "rate_limited");
        refused.Header("X-RateLimit-Limit").ShouldBe("20");
    }

    [Fact]
    public async Task Browsing_is_limited_per_user_by_the_generous_default()
    {
        var customer = await app.Host.SignUpFromNewIpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter); // Free has no room for a colleague
        var token = customer.Tokens.AccessToken;
        var colleague = await app.Host.AddMemberAsync(token, BaseAgency.Identity.Role.Member); // the admin's first request

        IScenarioResult last = null!;
        for (var i = 2; i <= 300; i++) last = await app.Host.Scenario(s => { s.Get.Url("/api/me"); s.As(token); });
        last.Header("RateLimit-Policy").ShouldBe("\"user\";q=300;w=60");
        last.Header("X-RateLimit-Remaining").ShouldBe("0");

        var refused = await app.Host.Scenario(s => { s.Get.Url("/api/me"); s.As(token); s.StatusCodeShouldBe(429); });
        (await refused.ProblemAsync(429, "rate_limited"))["policy"]!.GetValue<string>().ShouldBe("user");
        refused.Header("Retry-After").ShouldNotBeNullOrEmpty();

        // Another member of the same organization browses on.
        await app.Host.Scenario(s => { s.Get.Url("/api/me"); s.As(colleague.Tokens.AccessToken); s.StatusCodeShouldBe(200); });
    }

    [Fact]
    public async Task Login_is_limited_per_ip_to_ten_a_minute()
    {
        var customer = await app.Host.SignUpFromNewIpAsync();
        var attacker = Limited.NewIp();
        // Guesses spread over many addresses, which the per-address lockout does not see.
        for (var i = 1; i <= 10; i++)
            await app.Host.Scenario(s =>
            {
                s.Post.Json(new { email = Api.NewEmail("victim"), password = "wrong-password" }).ToUrl("/api/auth/login");
                s.From(attacker);
                s.StatusCodeShouldBe(401);
            });

        var refused = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = customer.User.Email, password = Api.Password }).ToUrl("/api/auth/login");
            s.From(attacker);
            s.StatusCodeShouldBe(429);
        });
        (await refused.ProblemAsync(429, "rate_limited"))["policy"]!.GetValue<string>().ShouldBe("ip");
        refused.Header("RateLimit-Policy").ShouldBe("\"ip\";q=10;w=60");

        // The owner, from another address, is not locked out by the attacker's address.
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = customer.User.Email, password = Api.Password }).ToUrl("/api/auth/login");
            s.From(Limited.NewIp());
            s.StatusCodeShouldBe(200);
        });
    }

    [Fact]
    public async Task Sign_up_is_limited_per_ip()
    {
        var ip = Limited.NewIp();
        for (var i = 1; i <= 10; i++)
            await app.Host.Scenario(s => { s.Post.Json(Api.NewSignUp()).ToUrl("/api/auth/signup"); s.From(ip); s.StatusCodeShouldBe(201); });
        await app.Host.Scenario(s => { s.Post.Json(Api.NewSignUp()).ToUrl("/api/auth/signup"); s.From(ip); s.StatusCodeShouldBe(429); });
    }

    [Fact]
    public async Task A_key_with_its_own_limit_is_refused_past_it_while_the_organization_still_has_room()
    {
        var signedUp = await app.Host.SignUpFromNewIpAsync();
        await app.Host.SetPlanAsync(signedUp.Organization.Id, PlanSlug.Professional); // 60 a minute for the organization
        var admin = new BaseAgency.Tests.Features.CreateApiKey.KeyAdmin(signedUp.Organization.Id, signedUp.User.Id, signedUp.Tokens.AccessToken);
        var (_, secret) = await BaseAgency.Tests.Features.CreateApiKey.ApiKeyCalls.CreateKeyAsync(app.Host, admin,
            new { name = "tight", scopes = new[] { "read" }, limits = new { requestsPerMinute = 3 } });

        for (var i = 1; i <= 3; i++)
            (await BaseAgency.Tests.Features.CreateApiKey.ApiKeyCalls.CallAsync(app.Host, secret, "/api/credits/balance", 200))
                .Header("RateLimit-Policy").ShouldContain("\"api-key\";q=3;w=60");
        var refused = await BaseAgency.Tests.Features.CreateApiKey.ApiKeyCalls.CallAsync(app.Host, secret, "/api/credits/balance", 429);
        (await refused.ProblemAsync(429, "rate_limited"))["policy"]!.GetValue<string>().ShouldBe("api-key");
        // The organization's own allowance is untouched by that key's limit: its admin still browses.
        await app.Host.GetAsJson<System.Text.Json.Nodes.JsonObject>("/api/credits/balance", signedUp.Tokens.AccessToken);
    }
}

[Collection(AppCollection.Name)]
public sealed class DisabledRateLimitTests(AppFixture app)
{
    [Fact]
    public async Task With_rate_limiting_off_nothing_is_limited_and_no_header_is_sent()
    {
        await app.Host.UseScriptedProviderAsync();
        var token = (await app.Host.SignUpAsync()).Tokens.AccessToken;
        for (var i = 1; i <= 7; i++)
        {
            var accepted = await app.Host.SubmitAsync(token, "image", Limited.QuickImage);
            accepted.Context.Response.Headers.ContainsKey("X-RateLimit-Limit").ShouldBeFalse();
        }
    }
}
