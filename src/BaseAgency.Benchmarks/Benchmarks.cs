namespace BaseAgency.Benchmarks;

/// <summary>Figures, not tests: <c>bash scripts/bench.sh [ledger|jobs|usage|all] [--seconds N] [--workers N] [--samples N]</c>.</summary>
public static class Benchmarks
{
    public static async Task Main(string[] args)
    {
        var scenario = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
        int Option(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        var seconds = Option("--seconds", 10);
        var workers = Option("--workers", 32);

        Console.WriteLine($"BASE Agency benchmarks · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {DateTime.UtcNow:u}");
        if (scenario is "ledger" or "all") await LedgerBenchmark.RunAsync(seconds, workers);
        if (scenario is "jobs" or "all") await JobsBenchmark.RunAsync(seconds, workers);
        if (scenario is "usage" or "all") await UsageBenchmark.RunAsync(Option("--samples", 300));
    }
}
