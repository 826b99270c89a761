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
/// Reading usage (GET /api/usage/summary and GET /api/usage) through HTTP, one client, for an organization with a year of
/// history: first 10³ recorded generations (some run as real jobs through the pipeline, the rest as the counter rows they
/// make), then 10⁶. The organization keeps one shape (5 members, sessions and 2 keys, 4 models): more generations fill the
/// same rows with bigger numbers, and the rows a read touches are bounded by days × that shape, never by generations.
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
        using var http = app.Host.Server.CreateClient();

        var signUp = await http.PostAsJsonAsync("/api/auth/signup", new
        {
            name = "Bench", email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark-password", organizationName = "Usage bench",
        });
        signUp.EnsureSuccessStatusCode();
        var body = (await signUp.Content.ReadFromJsonAsync<JsonObject>())!;
        var org = body["organization"]!["id"]!.GetValue<Guid>();
        var admin = body["user"]!["id"]!.GetValue<Guid>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["tokens"]!["accessToken"]!.GetValue<string>());
        await using (var session = store.SessionFor(org))
        {
            var subscription = await session.LoadAsync<Subscription>(org);
            session.Store(subscription! with { Plan = PlanSlug.Enterprise });
            await services.GetRequiredService<CreditLedger>().GrantAsync(session, org, BucketKind.Bonus, 1_000_000, null, "benchmark", "benchmark-grant", default);
            await session.SaveChangesAsync();
        }

        // Real jobs: the counters they leave are the pipeline's own.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            for (var i = w; i < RealJobs; i += 8)
                (await http.PostAsJsonAsync("/api/generations/image", new { prompt = $"usage bench {i}", width = 256, height = 256 })).EnsureSuccessStatusCode();
        }));
        await WaitForJobsAsync(store, org, RealJobs);

        var database = services.GetRequiredService<NpgsqlDataSource>();
        var schema = store.Options.DatabaseSchemaName;
        var users = Enumerable.Range(0, Users).Select(i => i == 0 ? admin : Guid.CreateVersion7()).ToArray();
        Guid?[] keys = [null, Guid.CreateVersion7(), Guid.CreateVersion7()];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        Console.WriteLine();
        Console.WriteLine($"Usage reads over HTTP, one client, {samples} requests each, one organization with a year of history");
        await RecordAsync(database, schema, org, users, keys, today, 1_000 - RealJobs, seed: 1);
        var small = await MeasureAsync(http, samples, "10³");
        await RecordAsync(database, schema, org, users, keys, today, 1_000_000 - 1_000, seed: 2);
        var large = await MeasureAsync(http, samples, "10⁶");
        foreach (var (name, a) in small)
            Console.WriteLine($"  {name,-34} p50 at 10⁶ / at 10³: {large[name].P50 / a.P50,5:F2}×   p95: {large[name].P95 / a.P95,5:F2}×");
    }

    /// <summary>
    /// Adds the counter rows <paramref name="generations"/> completed generations spread over the last 365 days would make (and the
    /// API requests of those made with a key), through COPY into a staging table and one upsert that adds, as the pipeline does.
    /// </summary>
    private static async Task RecordAsync(NpgsqlDataSource database, string schema, Guid org, Guid[] users, Guid?[] keys, DateOnly today,
        int generations, int seed)
    {
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
        var rows = new Dictionary<(UsageRowKey Row, DateOnly Day), UsageCounts>();
        foreach (var (source, counts) in sources)
        foreach (var row in UsageCounters.RowsOf(source))
            rows[(row, source.Day)] = rows.TryGetValue((row, source.Day), out var c)
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
            foreach (var ((row, day), counts) in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(org, NpgsqlDbType.Uuid);
                await copy.WriteAsync(row.Scope, NpgsqlDbType.Uuid);
                await copy.WriteAsync(UsageCounters.NameOf(row.Dimension), NpgsqlDbType.Text);
                await copy.WriteAsync(day, NpgsqlDbType.Date);
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
        Console.WriteLine($"  recorded {generations,9:N0} more generations: {rows.Count,7:N0} rows added to, the organization has " +
                          $"{(long)(await count.ExecuteScalarAsync())!,7:N0} counter rows ({Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)");
    }

    private static async Task<Dictionary<string, (double P50, double P95)>> MeasureAsync(HttpClient http, int samples, string label)
    {
        var reads = new (string Name, string Url)[]
        {
            ("summary", "/api/usage/summary"),
            ("report, 30 days by day", "/api/usage"),
            ("report, 30 days by model (csv)", "/api/usage?groupBy=model&format=csv"),
            ("report, 365 days by user", $"/api/usage?groupBy=user&from={DateTime.UtcNow.AddDays(-365):yyyy-MM-dd}"),
        };
        var results = new Dictionary<string, (double, double)>();
        foreach (var (name, url) in reads)
        {
            for (var i = 0; i < 100; i++) await GetAsync(http, url); // warm-up (the first reads also compile the route)
            var latencies = new Latencies();
            for (var i = 0; i < samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await GetAsync(http, url);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            Console.WriteLine($"  {label} {name,-34} {latencies.Summary()}");
            results[name] = (latencies.At(0.50), latencies.At(0.95));
        }
        return results;
    }

    private static async Task GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
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
