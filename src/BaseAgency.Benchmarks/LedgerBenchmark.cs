using System.Diagnostics;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Marten;

namespace BaseAgency.Benchmarks;

/// <summary>
/// Credit reservations against the real ledger on PostgreSQL: reserve 1 credit, capture it, repeat, from many
/// workers at once; first all on one organization (they queue on its ledger lock), then spread over many.
/// </summary>
public static class LedgerBenchmark
{
    private const int Grant = 10_000_000;

    public static async Task RunAsync(int seconds, int workers)
    {
        await using var app = await BenchmarkApp.StartAsync(poolSize: workers + 10);
        Console.WriteLine();
        Console.WriteLine($"Ledger: reserve(1) + capture(1) per operation, {workers} concurrent workers, {seconds} s per scenario");
        await ScenarioAsync(app, "one hot organization", organizations: 1, seconds, workers);
        await ScenarioAsync(app, "50 organizations", organizations: 50, seconds, workers);
    }

    private static async Task ScenarioAsync(BenchmarkApp app, string name, int organizations, int seconds, int workers)
    {
        var services = app.Host.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var ledger = services.GetRequiredService<CreditLedger>();
        var orgs = Enumerable.Range(0, organizations).Select(_ => Guid.CreateVersion7()).ToArray();
        foreach (var org in orgs)
        {
            await using var session = store.SessionFor(org);
            await ledger.GrantAsync(session, org, BucketKind.Bonus, Grant, null, "benchmark", "benchmark-grant", default);
            await session.SaveChangesAsync();
        }

        async Task<bool> OperationAsync(Guid org, string reference, Latencies latencies)
        {
            var started = Stopwatch.GetTimestamp();
            Guid reservation;
            using (var scope = services.CreateScope())
            await using (var session = store.SessionFor(org))
            {
                // Wolverine's outbox for code outside a handler: the timeout message commits with the reservation.
                var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
                outbox.Enroll(session);
                var reserved = await ledger.ReserveAsync(session, outbox, org, 1, reference, default);
                if (reserved.Reservation is null) return false;
                reservation = reserved.Reservation.Id;
                await session.SaveChangesAsync();
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await using (var session = store.SessionFor(org))
            {
                await ledger.CaptureAsync(session, org, reservation, 1, default);
                await session.SaveChangesAsync();
            }
            return true;
        }

        // Warm-up: code paths, connection pool, plans.
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => OperationAsync(orgs[w % orgs.Length], $"warmup-{w}", new Latencies())));
        var warmups = Math.Min(workers, workers); // one capture per worker above

        var latencies = new Latencies();
        var captured = new int[orgs.Length];
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            for (var n = 0; stop.Elapsed < deadline; n++)
            {
                var index = (w + n) % orgs.Length;
                if (await OperationAsync(orgs[index], $"bench-{w}-{n}", latencies)) Interlocked.Increment(ref captured[index]);
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;

        // Correctness: every organization holds its grant minus exactly what was captured, nothing left reserved.
        var warm = new int[orgs.Length];
        for (var w = 0; w < warmups; w++) warm[w % orgs.Length]++;
        var wrong = 0;
        for (var i = 0; i < orgs.Length; i++)
        {
            await using var query = store.QueryFor(orgs[i]);
            var account = (await ledger.ReadAsync(query, orgs[i], default))!;
            if (account.Balance != Grant - captured[i] - warm[i] || account.Reserved != 0) wrong++;
        }

        Console.WriteLine($"  {name,-22} {latencies.Count / elapsed,8:F0} reservations/s   reserve latency {latencies.Summary()}   " +
                          (wrong == 0 ? "ledger consistent" : $"LEDGER WRONG for {wrong} organization(s)"));
    }
}
