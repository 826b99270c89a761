using FastEndpoints;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BaseAgency.Features.CheckHealth;

public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthEntry> Checks, string Version, double UptimeSeconds);

public sealed record HealthEntry(string Status, string? Description, double DurationMs);

/// <summary>GET /api/health: the seed's health route, reporting whether the database answers.</summary>
public sealed class CheckHealthEndpoint(HealthCheckService health, TimeProvider clock) : EndpointWithoutRequest<HealthResponse>
{
    private static readonly DateTimeOffset StartedAt = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private static readonly string AppVersion = typeof(CheckHealthEndpoint).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public override void Configure()
    {
        Get("/health");
        AllowAnonymous();
        Description(d => d.WithName("CheckHealth").WithSummary("Service and database health").WithTags("Health")
            .Produces<HealthResponse>(200).Produces<HealthResponse>(503), clearDefaults: true);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(ct);
        var response = new HealthResponse(
            report.Status.ToString().ToLowerInvariant(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(
                e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description, e.Value.Duration.TotalMilliseconds)),
            AppVersion,
            (clock.GetUtcNow() - StartedAt).TotalSeconds);
        await Send.ResponseAsync(response, report.Status == HealthStatus.Healthy ? 200 : 503, ct);
    }
}
