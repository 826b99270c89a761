using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BaseAgency.Generations;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Usage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace BaseAgency.Benchmarks;

/// <summary>
/// Reading usage (GET /api/usage/summary and GET /api/usage) through HTTP, one client, for two organizations with a year of
/// history: one with 10³ recorded generations (some run as real jobs through the pipeline, the rest as the counter rows they
/// make), one with 10⁶. Both have one shape (5 members, sessions and 2 keys, 4 models): more generations fill the same rows
/// with bigger numbers, and the rows a read touches are bounded by days × that shape, never by generations.
/// </summary>
public static class UsageBenchmark
{
    private const int RealJobs = 200;
    private const int Users = 5;
    private static readonly (string Provider, string Model, string Type, int Credits, decimal CostUsd)[] Models =
    [
        ("freepik", "flux-dev", "image", 2, 0.010m), ("replicate", "sdxl", "image", 3, 0.0125m),
        ("openai", "dall-e-3", "image", 8, 0.040m), ("openai", "gpt-4o-mini", "text", 1, 0.0006m),
    ];

    public static async Task RunAsync(int samples)
    {
        await using var app = await BenchmarkApp.StartAsync(poolSize: 40, ("Providers:Local:Latency", "00:00:00"));
        var services = app.Host.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var database = services.GetRequiredService<NpgsqlDataSource>();
        var schema = store.Options.DatabaseSchemaName;
        using var http = app.Host.Server.CreateClient();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var small = await OrganizationAsync(http, services);
        var large = await OrganizationAsync(http, services);
        // Real jobs: the counters they leave are the pipeline's own.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            for (var i = w; i < RealJobs; i += 8)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generations/image")
                {
                    Content = JsonContent.Create(new { prompt = $"usage bench {i}", width = 256, height = 256 }),
                    Headers = { Authorization = new AuthenticationHeaderValue("Bearer", small.Token) },
                };
                (await http.SendAsync(request)).EnsureSuccessStatusCode();
            }
        }));
        await WaitForJobsAsync(store, small.Id, RealJobs);
        Console.WriteLine();
        Console.WriteLine($"Usage reads over HTTP, one client, {samples} requests each, organizations with a year of history, read in turns");
        await RecordAsync(database, schema, small, today, 1_000 - RealJobs, seed: 1);
        await RecordAsync(database, schema, large, today, 1_000_000, seed: 2);

        // In turns, request by request, so whatever else the machine does slows both alike.
        foreach (var (name, url) in Reads(today))
        {
            var latencies = new[] { new Latencies(), new Latencies() };
            for (var i = 0; i < 100; i++) // warm-up (the first reads also compile the route)
                foreach (var org in new[] { small, large }) await GetAsync(http, url, org.Token);
            for (var i = 0; i < samples; i++)
                for (var o = 0; o < 2; o++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await GetAsync(http, url, (o == 0 ? small : large).Token);
                    latencies[o].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            Console.WriteLine($"  {name}");
            Console.WriteLine($"    at 10³ generations  {latencies[0].Summary()}");
            Console.WriteLine($"    at 10⁶ generations  {latencies[1].Summary()}");
            Console.WriteLine($"    10⁶ / 10³           p50 {latencies[1].At(0.50) / latencies[0].At(0.50),5:F2}×   p95 {latencies[1].At(0.95) / latencies[0].At(0.95),5:F2}×");
        }
    }

    private static (string Name, string Url)[] Reads(DateOnly today) =>
    [
        ("GET /api/usage/summary", "/api/usage/summary"),
        ("GET /api/usage (the last 30 days by day)", "/api/usage"),
        ("GET /api/usage?groupBy=model&format=csv (30 days)", "/api/usage?groupBy=model&format=csv"),
        // Whole months by their month rows, the days around them by their day rows.
        ("GET /api/usage?groupBy=user (365 days)", $"/api/usage?groupBy=user&from={today.AddDays(-365):yyyy-MM-dd}"),
    ];

    /// <summary>An organization on an unlimited plan with credits, its admin, four other members and two keys (their ids only).</summary>
    private sealed record BenchOrganization(Guid Id, string Token, Guid[] Users, Guid?[] Keys);

    private static async Task<BenchOrganization> OrganizationAsync(HttpClient http, IServiceProvider services)
    {
        var signUp = await http.PostAsJsonAsync("/api/auth/signup", new
        {
            name = "Bench", email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark-password", organizationName = $"Usage {Guid.NewGuid():N}"[..20],
        });
        signUp.EnsureSuccessStatusCode();
        var body = (await signUp.Content.ReadFromJsonAsync<JsonObject>())!;
        var org = body["organization"]!["id"]!.GetValue<Guid>();
        var admin = body["user"]!["id"]!.GetValue<Guid>();
        await using (var session = services.GetRequiredService<IDocumentStore>().SessionFor(org))
        {
            var subscription = await session.LoadAsync<Subscription>(org);
            session.Store(subscription! with { Plan = PlanSlug.Enterprise });
            await services.GetRequiredService<CreditLedger>().GrantAsync(session, org, BucketKind.Bonus, 1_000_000, null, "benchmark", "benchmark-grant", default);
            await session.SaveChangesAsync();
        }
        return new BenchOrganization(org, body["tokens"]!["accessToken"]!.GetValue<string>(),
            [admin, .. Enumerable.Range(1, Users - 1).Select(_ => Guid.CreateVersion7())], [null, Guid.CreateVersion7(), Guid.CreateVersion7()]);
    }

    /// <summary>
    /// Adds the counter rows <paramref name="generations"/> completed generations spread over the last 365 days would make (and the
    /// API requests of those made with a key), through COPY into a staging table and one upsert that adds, as the pipeline does.
    /// </summary>
    private static async Task RecordAsync(NpgsqlDataSource database, string schema, BenchOrganization organization, DateOnly today,
        int generations, int seed)
    {
        var (org, users, keys) = (organization.Id, organization.Users, organization.Keys);
        var random = new Random(seed);
        var sources = new Dictionary<UsageSource, UsageCounts>();
        void Add(UsageSource source, UsageCounts counts) =>
            sources[source] = sources.TryGetValue(source, out var c)
                ? c with
                {
                    JobsSubmitted = c.JobsSubmitted + counts.JobsSubmitted, JobsCompleted = c.JobsCompleted + counts.JobsCompleted,
                    CreditsUsed = c.CreditsUsed + counts.CreditsUsed, CostUsd = c.CostUsd + counts.CostUsd, Tokens = c.Tokens + counts.Tokens,
                    Units = c.Units + counts.Units, ApiRequests = c.ApiRequests + counts.ApiRequests,
                }
                : counts;
        for (var i = 0; i < generations; i++)
        {
            var (day, user, key) = (today.AddDays(-random.Next(365)), users[random.Next(users.Length)], keys[random.Next(keys.Length)]);
            var (provider, model, type, credits, cost) = Models[random.Next(Models.Length)];
            Add(new UsageSource(org, day, user, key, provider, model, type), new UsageCounts(JobsSubmitted: 1, JobsCompleted: 1, CreditsUsed: credits,
                CostUsd: cost, Tokens: type == "text" ? 900 : 0, Units: type == "text" ? 0 : 1));
            // Work done with a key is also its API requests (the submission and a poll or two).
            if (key is not null) Add(new UsageSource(org, day, user, key, "", "", ""), new UsageCounts(ApiRequests: 3));
        }
        var rows = new Dictionary<UsageRowKey, UsageCounts>();
        foreach (var (source, counts) in sources)
        foreach (var row in UsageCounters.RowsOf(source))
            rows[row] = rows.TryGetValue(row, out var c)
                ? c with
                {
                    JobsSubmitted = c.JobsSubmitted + counts.JobsSubmitted, JobsCompleted = c.JobsCompleted + counts.JobsCompleted,
                    CreditsUsed = c.CreditsUsed + counts.CreditsUsed, CostUsd = c.CostUsd + counts.CostUsd, Tokens = c.Tokens + counts.Tokens,
                    Units = c.Units + counts.Units, ApiRequests = c.ApiRequests + counts.ApiRequests,
                }
                : counts;

        var started = Stopwatch.GetTimestamp();
        await using var connection = await database.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand($"create temp table staging (like {schema}.{UsageCounters.TableName} including defaults)", connection))
            await create.ExecuteNonQueryAsync();
        await using (var copy = await connection.BeginBinaryImportAsync($"copy staging ({UsageCounters.Columns}) from stdin (format binary)"))
        {
            foreach (var (row, counts) in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(org, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Scope, NpgsqlDbType.Uuid);
                await copy.WriteAsync(UsageCounters.NameOf(row.Dimension), NpgsqlDbType.Text);
                await copy.WriteAsync(UsageCounters.NameOf(row.Span), NpgsqlDbType.Text);
                await copy.WriteAsync(row.Day, NpgsqlDbType.Date);
                await copy.WriteAsync(row.Key, NpgsqlDbType.Text);
                foreach (var value in counts.Values)
                    if (value is decimal d) await copy.WriteAsync(d, NpgsqlDbType.Numeric);
                    else await copy.WriteAsync((long)value, NpgsqlDbType.Bigint);
            }
            await copy.CompleteAsync();
        }
        await using (var merge = new NpgsqlCommand(
                         $"insert into {schema}.{UsageCounters.TableName} as u ({UsageCounters.Columns}) select {UsageCounters.Columns} from staging " +
                         $"on conflict ({UsageCounters.ConflictColumns}) do update set {UsageCounters.Increments}; drop table staging; " +
                         $"analyze {schema}.{UsageCounters.TableName}", connection))
            await merge.ExecuteNonQueryAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {schema}.{UsageCounters.TableName} where organization_id = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = org } },
        };
        Console.WriteLine($"  recorded {generations,9:N0} generations more: {rows.Count,7:N0} rows added to, the organization has " +
                          $"{(long)(await count.ExecuteScalarAsync())!,7:N0} counter rows ({Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)");
    }

    private static async Task GetAsync(HttpClient http, string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task WaitForJobsAsync(IDocumentStore store, Guid org, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            await using var session = store.QueryFor(org);
            if (await session.Query<GenerationJob>().CountAsync(j => j.Status == JobStatus.Completed) >= count) return;
            await Task.Delay(200);
        }
        throw new TimeoutException("The benchmark's real jobs did not finish in time.");
    }
}
