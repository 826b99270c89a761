using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BaseAgency.Features.CheckHealth;

public sealed record CheckHealth;

public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthEntry> Checks, string Version, double UptimeSeconds)
{
    [JsonIgnore] public bool IsHealthy => Status == NameOf(HealthStatus.Healthy);

    public static string NameOf(HealthStatus status) => status.ToString().ToLowerInvariant();
}

public sealed record HealthEntry(string Status, string? Description, double DurationMs);
