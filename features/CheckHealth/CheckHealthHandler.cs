using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BaseAgency.Features.CheckHealth;

public static class CheckHealthHandler
{
    private static readonly DateTimeOffset StartedAt = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private static readonly string AppVersion = typeof(CheckHealthHandler).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public static async Task<HealthResponse> Handle(CheckHealth query, HealthCheckService health, TimeProvider clock, CancellationToken ct) =>
        ResponseOf(await health.CheckHealthAsync(ct), AppVersion, clock.GetUtcNow() - StartedAt);

    public static HealthResponse ResponseOf(HealthReport report, string version, TimeSpan uptime) =>
        new(HealthResponse.NameOf(report.Status),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(HealthResponse.NameOf(e.Value.Status), e.Value.Description, e.Value.Duration.TotalMilliseconds)),
            version,
            uptime.TotalSeconds);
}
