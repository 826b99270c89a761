using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Features.CreateApiKey;
using BaseAgency.Tests.Support;
using BaseAgency.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.GetUsage;

/// <summary>Usage read back from the counters after real jobs run over several days on the app whose clock the tests move.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class GetUsageTests(ClockedAppFixture app)
{
    [Fact]
    public async Task The_report_and_the_statement_match_the_jobs_run_over_several_days_by_day_user_key_provider_and_model()
    {
        await app.Host.UseScriptedProviderAsync();
        var signedUp = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(signedUp.Organization.Id, PlanSlug.Professional);
        var admin = new KeyAdmin(signedUp.Organization.Id, signedUp.User.Id, signedUp.Tokens.AccessToken);
        var member = await app.Host.AddMemberAsync(admin.Token, Role.Member);
        var memberToken = member.Tokens.AccessToken;
        var (keyId, secret) = await app.Host.CreateKeyAsync(admin, new { name = "CI", scopes = new[] { "read", "generate" } });
        var first = Today();

        // Day 1: the admin makes two local images, the member one with the scripted provider.
        var jobs = new List<JsonObject>
        {
            await RunAsync(admin.Token, new { prompt = "one" }),
            await RunAsync(admin.Token, new { prompt = "two" }),
            await RunAsync(memberToken, new { prompt = "three", provider = "scripted", model = "scripted-image" }),
        };
        // A day later the access tokens have expired: both sign in again.
        async Task NextDayAsync()
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            admin = admin with { Token = (await app.Host.LoginAsync(signedUp.User.Email)).AccessToken };
            memberToken = (await app.Host.LoginAsync(member.Email)).AccessToken;
        }
        await NextDayAsync();
        // Day 2: the key makes one (and reads once), the member's fails at the provider.
        var byKey = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { prompt = "by key", provider = "scripted", model = "scripted-image" }).ToUrl("/api/generations/image");
            s.WithRequestHeader("X-API-Key", secret);
            s.StatusCodeShouldBe(202);
        });
        jobs.Add(await app.Host.WaitForJobAsync(admin.Token, (await byKey.JsonAsync()).IdOf()));
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/jobs/00000000-0000-0000-0000-000000000001");
            s.WithRequestHeader("X-API-Key", secret);
            s.StatusCodeShouldBe(404);
        });
        jobs.Add(await RunAsync(memberToken, new { prompt = "provider error", provider = "scripted", model = "scripted-image" }));
        await NextDayAsync();
        // Day 3: the admin cancels one the provider is working on (a share of its credits is charged).
        var waiting = await app.Host.SubmitJobAsync(admin.Token, "image", new { prompt = "wait for me", provider = "scripted", model = "scripted-image" });
        await app.Host.WaitForJobAsync(admin.Token, waiting.IdOf(), j => j["status"]!.GetValue<string>() == "processing");
        await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/jobs/{waiting.IdOf()}/cancel");
            s.As(admin.Token);
            s.StatusCodeShouldBe(200);
        });
        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(waiting.IdOf());
        jobs.Add(await app.Host.GetAsJson<JsonObject>($"/api/jobs/{waiting.IdOf()}", admin.Token));
        await app.Host.Services.GetRequiredService<ApiRequestCounts>().FlushAsync(CancellationToken.None);
        var range = $"from={first:yyyy-MM-dd}&to={first.AddDays(2):yyyy-MM-dd}";

        var byDay = await ReportAsync(admin.Token, $"{range}&groupBy=day");
        byDay["ownOnly"]!.GetValue<bool>().ShouldBeFalse();
        Rows(byDay).ShouldBe(new Dictionary<string, (long, long, long, long, long)>
        {
            [$"{first:yyyy-MM-dd}"] = (3, 3, 0, 0, Credits(jobs.Take(3))),
            [$"{first.AddDays(1):yyyy-MM-dd}"] = (2, 1, 1, 0, Credits(jobs.Skip(3).Take(2))),
            [$"{first.AddDays(2):yyyy-MM-dd}"] = (1, 0, 0, 1, Credits(jobs.Skip(5))),
        });
        Credits(jobs.Skip(5)).ShouldBeGreaterThan(0); // the cancel charged a share
        byDay.ToJsonString().ShouldNotContain("costUsd");
        byDay.ToJsonString().ShouldNotContain("margin");

        var byUser = Rows(await ReportAsync(admin.Token, $"{range}&groupBy=user"));
        byUser[admin.UserId.ToString()].ShouldBe((4, 3, 0, 1, Credits(jobs[0], jobs[1], jobs[3], jobs[5])));
        byUser[member.UserId.ToString()].ShouldBe((2, 1, 1, 0, Credits(jobs[2], jobs[4])));
        byUser.Count.ShouldBe(2);

        var byKeyReport = await ReportAsync(admin.Token, $"{range}&groupBy=apiKey");
        Rows(byKeyReport)[keyId.ToString()].ShouldBe((1, 1, 0, 0, Credits(jobs[3])));
        var keyRow = byKeyReport["rows"]!.AsArray().Single(r => r!["key"]?.GetValue<string>() == keyId.ToString())!;
        // Two requests with the key on day 2: the submission and a lookup answered 404.
        (keyRow["apiRequests"]!.GetValue<long>(), keyRow["apiErrors"]!.GetValue<long>()).ShouldBe((2, 1));
        Rows(byKeyReport)["(none)"].ShouldBe((5, 3, 1, 1, Credits(jobs[0], jobs[1], jobs[2], jobs[4], jobs[5])));

        var byProvider = Rows(await ReportAsync(admin.Token, $"{range}&groupBy=provider"));
        byProvider[jobs[0]["provider"]!.GetValue<string>()].ShouldBe((2, 2, 0, 0, Credits(jobs[0], jobs[1])));
        byProvider["scripted"].ShouldBe((4, 2, 1, 1, Credits(jobs.Skip(2))));

        var byModel = Rows(await ReportAsync(admin.Token, $"{range}&groupBy=model"));
        byModel["scripted-image"].ShouldBe((4, 2, 1, 1, Credits(jobs.Skip(2))));
        Rows(await ReportAsync(admin.Token, $"{range}&groupBy=type"))["image"].ShouldBe((6, 4, 1, 1, Credits(jobs)));

        // A range of whole months around them reads the months' rows, and finds the same.
        var wide = $"from={first.AddDays(-100):yyyy-MM-dd}&to={first.AddDays(100):yyyy-MM-dd}";
        Rows(await ReportAsync(admin.Token, $"{wide}&groupBy=model")).ShouldBe(byModel);
        Rows(await ReportAsync(admin.Token, $"{wide}&groupBy=user")).ShouldBe(byUser);

        // A member sees their own usage only.
        var own = await ReportAsync(memberToken, $"{range}&groupBy=user");
        own["ownOnly"]!.GetValue<bool>().ShouldBeTrue();
        Rows(own).Keys.ShouldBe([member.UserId.ToString()]);

        // The statement names whose job each hold and its outcome were, and the key it came with.
        var keyLines = await app.Host.StatementOfJobAsync(admin.Token, jobs[3].IdOf());
        keyLines.Select(l => l["type"]!.GetValue<string>()).ShouldBe(["hold", "usage"]);
        foreach (var line in keyLines) (line["userId"]!.GetValue<Guid>(), line["apiKeyId"]!.GetValue<Guid>()).ShouldBe((admin.UserId, keyId));
        var memberLines = await app.Host.StatementOfJobAsync(admin.Token, jobs[4].IdOf());
        memberLines.Select(l => l["type"]!.GetValue<string>()).ShouldBe(["hold", "release"]);
        foreach (var line in memberLines) (line["userId"]!.GetValue<Guid>(), line["apiKeyId"]).ShouldBe((member.UserId, null));

        // A platform operator sees the platform's cost and the margin on it.
        await app.Host.MakeSuperAdminAsync(admin.OrganizationId, admin.UserId);
        var costs = (await ReportAsync(admin.Token, $"{range}&groupBy=type"))["rows"]!.AsArray().Single(r => r!["key"]?.GetValue<string>() == "image")!;
        var completed = await Task.WhenAll(jobs.Where(j => j["status"]!.GetValue<string>() == "completed").Select(j => app.Host.StoredJobAsync(j.IdOf())));
        costs["costUsd"]!.GetValue<decimal>().ShouldBe(completed.Sum(j => j.CostUsd));
        var revenue = Credits(jobs) * app.Host.Services.GetRequiredService<UsageReports>().CreditPriceUsd;
        costs["revenueUsd"]!.GetValue<decimal>().ShouldBe(revenue);
        costs["marginUsd"]!.GetValue<decimal>().ShouldBe(revenue - costs["costUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Another_organizations_usage_never_appears()
    {
        var one = await app.Host.SignUpAsync();
        var other = await app.Host.SignUpAsync();
        await RunAsync(one.Tokens.AccessToken, new { prompt = "mine" });

        var theirs = await ReportAsync(other.Tokens.AccessToken, "groupBy=user");
        theirs["rows"]!.AsArray().ShouldBeEmpty();
        var mine = Rows(await ReportAsync(one.Tokens.AccessToken, "groupBy=user"));
        mine.Keys.ShouldBe([one.User.Id.ToString()]);
    }

    [Fact]
    public async Task The_report_is_a_csv_file_with_a_header_row()
    {
        var customer = await app.Host.SignUpAsync();
        var job = await RunAsync(customer.Tokens.AccessToken, new { prompt = "for the spreadsheet" });

        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/usage?groupBy=type&format=csv");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(200);
        });
        result.Context.Response.ContentType.ShouldBe("text/csv; charset=utf-8");
        var lines = (await result.ReadAsTextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldBe([
            "type,jobsSubmitted,jobsCompleted,jobsFailed,jobsCanceled,creditsUsed,tokens,units,apiRequests,apiErrors",
            $"image,1,1,0,0,{job["creditsUsed"]},0,1,0,0",
        ]);
    }

    [Fact]
    public async Task The_summary_sets_this_periods_use_against_the_plans_limits()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        await RunAsync(token, new { prompt = "counted" });
        await RunAsync(token, new { prompt = "counted too" });

        var summary = await app.Host.GetAsJson<JsonObject>("/api/usage/summary", token);
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        summary["plan"]!.GetValue<string>().ShouldBe("free");
        summary["images"]!["used"]!.GetValue<long>().ShouldBe(2);
        summary["images"]!["limit"]!.GetValue<long>().ShouldBeGreaterThan(0);
        summary["teamMembers"]!["used"]!.GetValue<long>().ShouldBe(1);
        summary["storageBytes"]!["used"]!.GetValue<long>().ShouldBeGreaterThan(0);
        summary["credits"]!["available"]!.GetValue<int>().ShouldBe(balance["available"]!.GetValue<int>());
        summary["credits"]!["promotional"]!.GetValue<int>().ShouldBe(balance["byBucket"]!["promotional"]!.GetValue<int>());
        summary["credits"]!["reserved"]!.GetValue<int>().ShouldBe(0);
    }

    [Theory]
    [InlineData("groupBy=bogus", "validation_failed")]
    [InlineData("format=xlsx", "validation_failed")]
    [InlineData("from=2026-02-01&to=2026-01-01", "invalid_range")]
    [InlineData("from=2024-01-01&to=2026-01-01", "invalid_range")]
    [InlineData("from=yesterday", "validation_failed")]
    [InlineData("groupBy=da%00y", "invalid_characters")]
    public async Task Bad_input_is_a_400_problem(string query, string code)
    {
        var customer = await app.Host.SignUpAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/usage?{query}");
            s.As(customer.Tokens.AccessToken);
            s.StatusCodeShouldBe(400);
        });
        await result.ProblemAsync(400, code);
    }

    [Theory]
    [InlineData("/api/usage?to=0001-01-01")]
    [InlineData("/api/usage?from=9999-12-31&groupBy=model&format=csv")]
    [InlineData("/api/admin/usage/costs?to=0001-01-01")]
    [InlineData("/api/admin/usage/costs?from=9999-12-31&to=9999-12-31")]
    public async Task The_ends_of_the_calendar_are_answered_never_a_500(string url)
    {
        var operatorOrg = await app.Host.OperatorAsync();
        await app.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.As(operatorOrg.Tokens.AccessToken);
            s.StatusCodeShouldBe(200);
        });
    }

    [Fact]
    public async Task Only_a_platform_operator_sees_cost_by_provider_and_month()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var job = await RunAsync(customer.Tokens.AccessToken, new { prompt = "costly", provider = "scripted", model = "scripted-image" });
        await app.Host.GetAsJson<JsonObject>("/api/admin/usage/costs", customer.Tokens.AccessToken, 403);

        await app.Host.MakeSuperAdminAsync(customer.Organization.Id, customer.User.Id);
        var view = await app.Host.GetAsJson<JsonObject>("/api/admin/usage/costs", customer.Tokens.AccessToken);
        var month = DateOnly.FromDateTime(job["completedAt"]!.GetValue<DateTimeOffset>().UtcDateTime);
        var row = view["items"]!.AsArray().Single(i => i!["provider"]!.GetValue<string>() == "scripted" &&
                                                       i["month"]!.GetValue<string>() == $"{month:yyyy-MM}-01")!;
        // Across organizations: at least this one's job, and the margin is what its credits sold for less what they cost.
        row["costUsd"]!.GetValue<decimal>().ShouldBeGreaterThanOrEqualTo((await app.Host.StoredJobAsync(job.IdOf())).CostUsd);
        row["marginUsd"]!.GetValue<decimal>().ShouldBe(row["revenueUsd"]!.GetValue<decimal>() - row["costUsd"]!.GetValue<decimal>());
        row["revenueUsd"]!.GetValue<decimal>().ShouldBe(row["creditsUsed"]!.GetValue<long>() * view["creditPriceUsd"]!.GetValue<decimal>());
    }

    private DateOnly Today() => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

    private async Task<JsonObject> RunAsync(string token, object body) =>
        await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", body)).IdOf());

    private async Task<JsonObject> ReportAsync(string token, string query) => await app.Host.GetAsJson<JsonObject>($"/api/usage?{query}", token);

    private static long Credits(IEnumerable<JsonObject> jobs) => jobs.Sum(j => j["creditsUsed"]!.GetValue<long>());

    private static long Credits(params JsonObject[] jobs) => Credits(jobs.AsEnumerable());

    /// <summary>Jobs submitted, completed, failed, canceled and credits used, by group key ("(none)" for no key).</summary>
    private static Dictionary<string, (long, long, long, long, long)> Rows(JsonObject report) =>
        report["rows"]!.AsArray().ToDictionary(r => r!["key"]?.GetValue<string>() ?? "(none)", r => (
            r!["jobsSubmitted"]!.GetValue<long>(), r["jobsCompleted"]!.GetValue<long>(), r["jobsFailed"]!.GetValue<long>(),
            r["jobsCanceled"]!.GetValue<long>(), r["creditsUsed"]!.GetValue<long>()));
}
