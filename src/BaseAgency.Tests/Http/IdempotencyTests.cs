using System.Text;
using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BaseAgency.Tests.Http;

/// <summary>The Idempotency-Key semantics as pure functions: no host, no database.</summary>
public sealed class IdempotencyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly KeyValuePair<string, string?>[] Route = [new("organizationId", "0195f0a0-0000-7000-8000-000000000001")];

    private static string Fingerprint(string body, string method = "POST", KeyValuePair<string, string?>[]? route = null, string query = "") =>
        IdempotencyRules.Fingerprint(method, "api/admin/organizations/{organizationId:guid}/credits/adjustments", route ?? Route, query,
            Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Spacing_and_key_order_do_not_change_the_fingerprint_but_any_value_does()
    {
        var first = Fingerprint("""{"amount":25,"reason":"Goodwill","tags":["a","b"],"nested":{"x":1,"y":2}}""");
        Fingerprint("""
            { "reason" : "Goodwill", "nested": { "y": 2, "x": 1 },
              "tags": [ "a", "b" ], "amount": 25 }
            """).ShouldBe(first);
        Fingerprint("""{"amount":25,"reason":"Good\u0077ill","tags":["a","b"],"nested":{"x":1,"y":2}}""").ShouldBe(first); // the same string

        Fingerprint("""{"amount":26,"reason":"Goodwill","tags":["a","b"],"nested":{"x":1,"y":2}}""").ShouldNotBe(first);
        Fingerprint("""{"amount":25,"reason":"Goodwill","tags":["b","a"],"nested":{"x":1,"y":2}}""").ShouldNotBe(first); // order in a list matters
        Fingerprint("""{"amount":25,"reason":"Goodwill","tags":["a","b"],"nested":{"x":1,"y":2},"extra":null}""").ShouldNotBe(first);
        Fingerprint("""{"amount":25,"reason":"Goodwill","tags":["a","b"],"nested":{"x":1,"y":2}}""", route: [new("organizationId", "other")])
            .ShouldNotBe(first);
        Fingerprint("""{"amount":25,"reason":"Goodwill","tags":["a","b"],"nested":{"x":1,"y":2}}""", method: "PUT").ShouldNotBe(first);
        Fingerprint("""{"amount":25,"reason":"Goodwill","tags":["a","b"],"nested":{"x":1,"y":2}}""", query: "?dryRun=true").ShouldNotBe(first);
    }

    [Fact]
    public void A_body_that_is_not_JSON_is_fingerprinted_as_it_is()
    {
        Fingerprint("{not json").ShouldBe(Fingerprint("{not json"));
        Fingerprint("{not json").ShouldNotBe(Fingerprint("{not  json"));
        Fingerprint("").ShouldNotBe(Fingerprint("{}"));
    }

    [Theory]
    [InlineData("order-1", true)]
    [InlineData("a", true)]
    [InlineData("!~{}[]:;'\"", true)]
    [InlineData("", false)]
    [InlineData("with space", false)]
    [InlineData("nul\0byte", false)]
    [InlineData("tab\t", false)]
    [InlineData("ключ", false)]
    [InlineData("caf\u00e9", false)]
    public void A_key_is_1_to_255_visible_ASCII_characters(string key, bool wellFormed)
    {
        IdempotencyRules.IsWellFormed(key).ShouldBe(wellFormed);
        IdempotencyRules.IsWellFormed(new string('k', 255)).ShouldBeTrue();
        IdempotencyRules.IsWellFormed(new string('k', 256)).ShouldBeFalse();
    }

    [Fact]
    public void A_stored_key_replays_refuses_waits_or_is_taken_over()
    {
        var answer = new StoredAnswer(201, "application/json", "/api/credits/balance", [1, 2, 3]);
        var answered = new IdempotencyRecord("f1", Guid.NewGuid(), Now.AddSeconds(-10), Now.AddHours(23), answer);
        var running = answered with { Answer = null, LeaseUntil = Now.AddSeconds(30) };

        IdempotencyRules.Decide(answered, "f1", Now).ShouldBe(new IdempotencyVerdict.Replay(answer));
        IdempotencyRules.Decide(answered, "f2", Now).ShouldBeOfType<IdempotencyVerdict.Reused>();
        IdempotencyRules.Decide(running, "f1", Now).ShouldBeOfType<IdempotencyVerdict.InFlight>();
        IdempotencyRules.Decide(running, "f2", Now).ShouldBeOfType<IdempotencyVerdict.Reused>();
        // The request died: once its lease is over, the same request runs again; another one is still refused.
        IdempotencyRules.Decide(running, "f1", Now.AddSeconds(30)).ShouldBeOfType<IdempotencyVerdict.TakeOver>();
        IdempotencyRules.Decide(running, "f2", Now.AddSeconds(30)).ShouldBeOfType<IdempotencyVerdict.Reused>();
        // After its retention the key is forgotten, whatever it was used for.
        IdempotencyRules.Decide(answered, "f1", Now.AddHours(23)).ShouldBeOfType<IdempotencyVerdict.TakeOver>();
        IdempotencyRules.Decide(answered, "f2", Now.AddHours(23)).ShouldBeOfType<IdempotencyVerdict.TakeOver>();
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(202, true)]
    [InlineData(400, true)]
    [InlineData(402, true)]
    [InlineData(404, true)]
    [InlineData(422, true)]
    [InlineData(409, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void Final_answers_are_kept_and_try_again_answers_are_not(int status, bool kept) =>
        IdempotencyRules.Keeps(status).ShouldBe(kept);
}

/// <summary>The Idempotency-Key on the real app and database: replays, refusals, races, scopes.</summary>
[Collection(AppCollection.Name)]
public sealed class IdempotencyTests(AppFixture app)
{
    private static string NewKey() => $"key-{Guid.NewGuid():N}";

    private Task<IScenarioResult> AdjustAsync(string token, Guid organizationId, string key, string body, int? status = null) =>
        app.Host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl($"/api/admin/organizations/{organizationId}/credits/adjustments");
            s.WithRequestHeader("Content-Type", "application/json");
            s.As(token);
            s.WithRequestHeader(Idempotency.KeyHeader, key);
            if (status is { } expected) s.StatusCodeShouldBe(expected);
            else s.IgnoreStatusCode();
        });

    private static bool Replayed(IScenarioResult result) => result.Context.Response.Headers[Idempotency.ReplayedHeader].ToString() == "true";

    [Fact]
    public async Task The_same_request_again_gets_the_first_answer_and_moves_credits_once()
    {
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var customer = await app.Host.SignUpAsync();
        var key = NewKey();

        var first = await AdjustAsync(operatorToken, customer.Organization.Id, key, """{"amount":25,"reason":"Goodwill"}""", 201);
        Replayed(first).ShouldBeFalse();
        // The same request, spaced and ordered differently.
        var again = await AdjustAsync(operatorToken, customer.Organization.Id, key, """{ "reason": "Goodwill",  "amount": 25 }""", 201);
        Replayed(again).ShouldBeTrue();
        (await again.ReadAsTextAsync()).ShouldBe(await first.ReadAsTextAsync());
        again.Context.Response.Headers.Location.ToString().ShouldBe(first.Context.Response.Headers.Location.ToString());
        again.Context.Response.ContentType.ShouldBe(first.Context.Response.ContentType);

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(75);
    }

    [Fact]
    public async Task The_same_key_with_another_request_is_422_and_changes_nothing()
    {
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var customer = await app.Host.SignUpAsync();
        var other = await app.Host.SignUpAsync();
        var key = NewKey();
        await AdjustAsync(operatorToken, customer.Organization.Id, key, """{"amount":25,"reason":"Goodwill"}""", 201);

        var amount = await AdjustAsync(operatorToken, customer.Organization.Id, key, """{"amount":26,"reason":"Goodwill"}""", 422);
        await amount.ProblemAsync(422, "idempotency_key_reused");
        var extra = await AdjustAsync(operatorToken, customer.Organization.Id, key, """{"amount":25,"reason":"Goodwill","note":"x"}""", 422);
        await extra.ProblemAsync(422, "idempotency_key_reused");
        var route = await AdjustAsync(operatorToken, other.Organization.Id, key, """{"amount":25,"reason":"Goodwill"}""", 422);
        await route.ProblemAsync(422, "idempotency_key_reused");

        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(75);
        (await app.Host.AvailableAsync(other.Tokens.AccessToken)).ShouldBe(50);
    }

    [Fact]
    public async Task A_stored_client_error_is_replayed_too()
    {
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var customer = await app.Host.SignUpAsync();
        var key = NewKey();

        var first = await AdjustAsync(operatorToken, customer.Organization.Id, key, """{"amount":-51,"reason":"Clawback"}""", 402);
        await first.ProblemAsync(402, "insufficient_credits");
        var again = await AdjustAsync(operatorToken, customer.Organization.Id, key, """{"amount":-51,"reason":"Clawback"}""", 402);
        Replayed(again).ShouldBeTrue();
        (await again.ProblemAsync(402, "insufficient_credits"))["requestId"]!.GetValue<string>()
            .ShouldBe((await first.JsonAsync())["requestId"]!.GetValue<string>()); // the first answer, not a second run
        var invalid = await AdjustAsync(operatorToken, customer.Organization.Id, NewKey(), """{"amount":0,"reason":""}""", 400);
        await invalid.ProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task A_conflict_is_not_kept_so_the_key_runs_again()
    {
        var customer = await app.Host.SignUpAsync(); // on Free already
        var key = NewKey();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var result = await app.Host.Scenario(s =>
            {
                s.Post.Json(new { plan = "free" }).ToUrl("/api/subscription");
                s.As(customer.Tokens.AccessToken);
                s.WithRequestHeader(Idempotency.KeyHeader, key);
                s.StatusCodeShouldBe(409);
            });
            Replayed(result).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Eight_racing_adjustments_with_one_key_move_credits_once()
    {
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var customer = await app.Host.SignUpAsync();
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            AdjustAsync(operatorToken, customer.Organization.Id, key, """{"amount":25,"reason":"Goodwill"}""")));

        var statuses = results.Select(r => r.Context.Response.StatusCode).ToList();
        statuses.ShouldAllBe(s => s == 201 || s == 409, string.Join(",", statuses));
        results.Count(r => r.Context.Response.StatusCode == 201 && !Replayed(r)).ShouldBe(1);
        foreach (var conflict in results.Where(r => r.Context.Response.StatusCode == 409))
        {
            await conflict.ProblemAsync(409, "idempotency_request_in_flight");
            conflict.Context.Response.Headers.RetryAfter.ToString().ShouldBe("1");
        }
        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(75);
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=adjustment", customer.Tokens.AccessToken);
        statement["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Eight_racing_purchases_with_one_key_open_one_purchase()
    {
        var customer = await app.Host.SignUpAsync();
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Json(new { packId = "credits-100" }).ToUrl("/api/credits/purchases");
            s.As(customer.Tokens.AccessToken);
            s.WithRequestHeader(Idempotency.KeyHeader, key);
            s.IgnoreStatusCode();
        })));

        results.Select(r => r.Context.Response.StatusCode).ShouldAllBe(s => s == 201 || s == 409);
        var answered = results.Where(r => r.Context.Response.StatusCode == 201).ToList();
        answered.Count(r => !Replayed(r)).ShouldBe(1);
        (await Task.WhenAll(answered.Select(async r => (await r.JsonAsync())["id"]!.GetValue<Guid>()))).Distinct().Count().ShouldBe(1);
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(customer.Organization.Id);
        (await session.Query<Purchase>().CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Eight_racing_generations_with_one_key_queue_one_job_and_charge_once()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            app.Host.Scenario(s =>
            {
                s.Post.Json(new { prompt = "once only", tags = new[] { "a" } }).ToUrl("/api/generations/image");
                s.As(token);
                s.WithRequestHeader(Idempotency.KeyHeader, key);
                s.IgnoreStatusCode();
            })));

        results.Select(r => r.Context.Response.StatusCode).ShouldAllBe(s => s == 202 || s == 409);
        var accepted = results.Where(r => r.Context.Response.StatusCode == 202).ToList();
        accepted.Count(r => !Replayed(r)).ShouldBe(1);
        var jobId = (await accepted[0].JsonAsync()).IdOf();
        // Another tag with the same prompt is another request.
        await (await app.Host.SubmitAsync(token, "image", new { prompt = "once only", tags = new[] { "b" } }, 422, key))
            .ProblemAsync(422, "idempotency_key_reused");

        await app.Host.WaitForJobAsync(token, jobId);
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
        (await app.Host.GetAsJson<JsonObject>("/api/jobs", token))["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_key_belongs_to_its_organization()
    {
        var first = await app.Host.SignUpAsync();
        var second = await app.Host.SignUpAsync();
        var key = NewKey();

        var mine = await app.Host.SubmitJobAsync(first.Tokens.AccessToken, "image", new { prompt = "same words" }, key);
        var theirs = await app.Host.SubmitAsync(second.Tokens.AccessToken, "image", new { prompt = "same words" }, 202, key);
        Replayed(theirs).ShouldBeFalse();
        (await theirs.JsonAsync()).IdOf().ShouldNotBe(mine.IdOf());
        await app.Host.WaitForJobAsync(first.Tokens.AccessToken, mine.IdOf());
        await app.Host.WaitForJobAsync(second.Tokens.AccessToken, (await theirs.JsonAsync()).IdOf());
        (await app.Host.AvailableAsync(first.Tokens.AccessToken)).ShouldBe(49);
        (await app.Host.AvailableAsync(second.Tokens.AccessToken)).ShouldBe(49);
    }

    [Theory]
    [InlineData("nul\0byte")]
    [InlineData("with space")]
    [InlineData("ключ")]
    [InlineData("\u007f")]
    [InlineData("")]
    public async Task A_malformed_key_is_400_and_nothing_runs(string key)
    {
        var customer = await app.Host.SignUpAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { packId = "credits-100" }).ToUrl("/api/credits/purchases");
            s.As(customer.Tokens.AccessToken);
            s.WithRequestHeader(Idempotency.KeyHeader, key);
            s.StatusCodeShouldBe(400);
        });
        await result.ProblemAsync(400, "invalid_idempotency_key");
        await (await app.Host.SubmitAsync(customer.Tokens.AccessToken, "image", new { prompt = "x" }, 400, new string('k', 256)))
            .ProblemAsync(400, "invalid_idempotency_key");
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(customer.Organization.Id);
        (await session.Query<Purchase>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Mark_paid_with_a_key_replays_and_the_OpenAPI_document_describes_the_header()
    {
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var customer = await app.Host.SignUpAsync();
        var purchase = (await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();
        var key = NewKey();
        var results = new List<IScenarioResult>();
        for (var attempt = 0; attempt < 2; attempt++)
            results.Add(await app.Host.Scenario(s =>
            {
                s.Post.Url($"/api/admin/purchases/{purchase}/mark-paid");
                s.As(operatorToken);
                s.WithRequestHeader(Idempotency.KeyHeader, key);
                s.StatusCodeShouldBe(200);
            }));
        Replayed(results[1]).ShouldBeTrue();
        (await app.Host.AvailableAsync(customer.Tokens.AccessToken)).ShouldBe(150);

        var doc = await (await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).JsonAsync();
        foreach (var (path, operation) in new[]
                 {
                     ("/api/credits/purchases", "201"), ("/api/subscription", "200"), ("/api/generations/video", "202"),
                     ("/api/admin/organizations/{organizationId}/credits/adjustments", "201"), ("/api/admin/purchases/{purchaseId}/mark-paid", "200"),
                 })
        {
            var op = doc["paths"]![path]!["post"]!;
            op["parameters"]!.AsArray().ShouldContain(p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header",
                path);
            op["responses"]![operation]!["headers"]![Idempotency.ReplayedHeader].ShouldNotBeNull(path);
            op["responses"]!["409"]!["content"]!["application/problem+json"].ShouldNotBeNull(path);
            op["responses"]!["422"]!["content"]!["application/problem+json"].ShouldNotBeNull(path);
        }
    }
}

/// <summary>Keys over time: forgotten after their retention, taken over when their request died.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class IdempotencyOverTimeTests(ClockedAppFixture app)
{
    private async Task<IScenarioResult> AdjustAsync(string operatorEmail, Guid organizationId, string key, int amount, int status)
    {
        // Signed in afresh: moving the clock expires earlier access tokens.
        var token = (await app.Host.LoginAsync(operatorEmail)).AccessToken;
        return await app.Host.Scenario(s =>
        {
            s.Post.Json(new { amount, reason = "Goodwill" }).ToUrl($"/api/admin/organizations/{organizationId}/credits/adjustments");
            s.As(token);
            s.WithRequestHeader(Idempotency.KeyHeader, key);
            s.StatusCodeShouldBe(status);
        });
    }

    [Fact]
    public async Task A_key_is_forgotten_after_24_hours()
    {
        var operatorOrg = await app.Host.OperatorAsync();
        var customer = await app.Host.SignUpAsync();
        var key = $"key-{Guid.NewGuid():N}";
        await AdjustAsync(operatorOrg.User.Email, customer.Organization.Id, key, 25, 201);

        app.Clock.Advance(TimeSpan.FromHours(23));
        await (await AdjustAsync(operatorOrg.User.Email, customer.Organization.Id, key, 30, 422)).ProblemAsync(422, "idempotency_key_reused");
        app.Clock.Advance(TimeSpan.FromHours(1));
        var later = await AdjustAsync(operatorOrg.User.Email, customer.Organization.Id, key, 30, 201);
        later.Context.Response.Headers.ContainsKey(Idempotency.ReplayedHeader).ShouldBeFalse();
        // Forgotten for good: a claim deletes expired keys, so the table holds about a day's worth.
        await using (var expired = app.Host.Services.GetRequiredService<NpgsqlDataSource>()
                         .CreateCommand("select count(*) from agency.idempotency_keys where expires_at <= $1"))
        {
            expired.Parameters.Add(new NpgsqlParameter { Value = app.Clock.GetUtcNow() });
            ((long)(await expired.ExecuteScalarAsync())!).ShouldBe(0);
        }

        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", (await app.Host.LoginAsync(customer.User.Email)).AccessToken);
        balance["available"]!.GetValue<int>().ShouldBe(105);
    }

    [Fact]
    public async Task A_request_that_died_holds_its_key_until_its_lease_ends_and_its_job_is_not_charged_twice()
    {
        var customer = await app.Host.SignUpAsync();
        var key = $"key-{Guid.NewGuid():N}";
        var job = await app.Host.SubmitJobAsync(customer.Tokens.AccessToken, "image", new { prompt = "survives a crash" }, key);
        // As if the process had died after the job committed and before its answer was kept.
        await using (var command = app.Host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
                         "update agency.idempotency_keys set status = null, content_type = null, location = null, body = null, " +
                         "lease_until = $1 where key = $2"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = app.Clock.GetUtcNow().AddSeconds(60) });
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var waiting = await app.Host.SubmitAsync(customer.Tokens.AccessToken, "image", new { prompt = "survives a crash" }, 409, key);
        await waiting.ProblemAsync(409, "idempotency_request_in_flight");
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        var retried = await app.Host.SubmitAsync(token, "image", new { prompt = "survives a crash" }, 202, key);

        // The retry ran again; the job holding the key answered for it instead of a second job.
        (await retried.JsonAsync()).IdOf().ShouldBe(job.IdOf());
        retried.Context.Response.Headers[Idempotency.ReplayedHeader].ToString().ShouldBe("true");
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
    }

    [Fact]
    public async Task A_running_request_renews_its_lease_so_only_a_dead_one_loses_its_key()
    {
        var store = app.Host.Services.GetRequiredService<IdempotencyStore>();
        var (scope, key) = (Guid.NewGuid().ToString(), $"key-{Guid.NewGuid():N}");
        var claim = await store.ClaimAsync(scope, key, "fingerprint", default);
        var start = await LeaseAsync(key);

        using var running = new CancellationTokenSource();
        var renewal = store.KeepAliveAsync(scope, key, claim.Token!.Value, running.Token);
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        await UntilAsync(async () => await LeaseAsync(key) > start);
        app.Clock.Advance(TimeSpan.FromSeconds(50)); // past the first lease: still running, so still its key
        (await store.ClaimAsync(scope, key, "fingerprint", default)).Verdict.ShouldBeOfType<IdempotencyVerdict.InFlight>();

        await running.CancelAsync();
        await renewal;
        app.Clock.Advance(TimeSpan.FromSeconds(61)); // it stopped renewing, as a dead process does
        (await store.ClaimAsync(scope, key, "fingerprint", default)).Token.ShouldNotBeNull();
    }

    private async Task<DateTime> LeaseAsync(string key)
    {
        await using var command = app.Host.Services.GetRequiredService<NpgsqlDataSource>()
            .CreateCommand("select lease_until from agency.idempotency_keys where key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not become true.");
            await Task.Delay(20);
        }
    }
}
