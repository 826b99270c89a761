using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BaseAgency.Generations;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Benchmarks;

/// <summary>
/// Image jobs through the whole pipeline with the local provider at zero latency: HTTP submission (checks,
/// reservation, queue message), the durable queue, the PNG (256×256), storage, capture and completion.
/// </summary>
public static class JobsBenchmark
{
    public static async Task RunAsync(int seconds, int workers)
    {
        await using var app = await BenchmarkApp.StartAsync(poolSize: workers + 30, ("Providers:Local:Latency", "00:00:00"));
        var services = app.Host.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var ledger = services.GetRequiredService<CreditLedger>();
        using var http = app.Host.Server.CreateClient();

        // A handful of customer organizations on an unlimited plan with plenty of credits.
        var tokens = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var signUp = await http.PostAsJsonAsync("/api/auth/signup", new
            {
                name = "Bench", email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark-password", organizationName = $"Bench {i} {Guid.NewGuid():N}"[..20],
            });
            signUp.EnsureSuccessStatusCode();
            var body = (await signUp.Content.ReadFromJsonAsync<JsonObject>())!;
            var org = body["organization"]!["id"]!.GetValue<Guid>();
            tokens.Add(body["tokens"]!["accessToken"]!.GetValue<string>());
            await using var session = store.SessionFor(org);
            var subscription = await session.LoadAsync<Subscription>(org) ?? Subscription.StartFree(org, DateTimeOffset.UtcNow);
            session.Store(subscription with { Plan = PlanSlug.Enterprise });
            await ledger.GrantAsync(session, org, BucketKind.Bonus, 10_000_000, null, "benchmark", "benchmark-grant", default);
            await session.SaveChangesAsync();
        }

        async Task<bool> SubmitAsync(int worker, Latencies latencies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generations/image")
            {
                Content = JsonContent.Create(new { prompt = $"benchmark {worker}", width = 256, height = 256 }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[worker % tokens.Count]);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response.StatusCode == System.Net.HttpStatusCode.Accepted;
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => SubmitAsync(w, new Latencies()))); // warm-up
        await WaitForQueueAsync(store, TimeSpan.FromMinutes(2));
        var before = await CountAsync(store, JobStatus.Completed);

        Console.WriteLine();
        Console.WriteLine($"Jobs: POST /api/generations/image (local provider, 256×256, no latency), {workers} concurrent clients, {seconds} s");
        var latencies = new Latencies();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            while (clock.Elapsed < deadline)
                if (!await SubmitAsync(w, latencies)) Interlocked.Increment(ref refused);
        }));
        var submitting = clock.Elapsed.TotalSeconds;
        var doneWhileSubmitting = await CountAsync(store, JobStatus.Completed) - before;
        await WaitForQueueAsync(store, TimeSpan.FromMinutes(10));
        var total = clock.Elapsed.TotalSeconds;
        var completed = await CountAsync(store, JobStatus.Completed) - before;
        var failed = await CountAsync(store, JobStatus.Failed);

        Console.WriteLine($"  submissions            {latencies.Count / submitting,8:F0} /s        submit latency  {latencies.Summary()}   ({latencies.Count} accepted, {refused} refused)");
        Console.WriteLine($"  jobs completed         {completed / total,8:F0} /s        ({completed} in {total:F1} s; {doneWhileSubmitting} while submitting; {failed} failed)");
    }

    private static async Task<int> CountAsync(IDocumentStore store, JobStatus status)
    {
        await using var session = store.QuerySession();
        return await session.Query<GenerationJob>().Where(j => j.AnyTenant() && j.Status == status).CountAsync();
    }

    private static async Task WaitForQueueAsync(IDocumentStore store, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await using var session = store.QuerySession();
            if (!await session.Query<GenerationJob>().AnyAsync(j => j.AnyTenant() && (j.Status == JobStatus.Queued || j.Status == JobStatus.Processing)))
                return;
            await Task.Delay(200);
        }
        throw new TimeoutException("Jobs were still running when the benchmark gave up waiting.");
    }
}
