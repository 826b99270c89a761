using BaseAgency.Features.CheckHealth;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BaseAgency.Tests.Features.CheckHealth;

[Collection(AppCollection.Name)]
public sealed class CheckHealthTests(AppFixture app)
{
    [Fact]
    public async Task Health_reports_the_database()
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/api/health"));
        var health = await result.JsonAsync();
        health["status"]!.GetValue<string>().ShouldBe("healthy");
        health["checks"]!["database"]!["status"]!.GetValue<string>().ShouldBe("healthy");
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Liveness_and_readiness_answer(string url)
    {
        var result = await app.Host.Scenario(s => s.Get.Url(url));
        (await result.ReadAsTextAsync()).ShouldBe("Healthy");
    }
}

/// <summary>The health answer as a function of the checks' report.</summary>
public sealed class HealthResponseTests
{
    [Fact]
    public void Each_check_is_reported_by_name_with_its_status_and_duration()
    {
        var report = new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["database"] = new(HealthStatus.Unhealthy, "PostgreSQL does not answer.", TimeSpan.FromMilliseconds(12.5), null, null),
        }, TimeSpan.FromMilliseconds(13));

        var response = CheckHealthHandler.ResponseOf(report, "1.2.3", TimeSpan.FromMinutes(2));

        response.Status.ShouldBe("unhealthy");
        response.IsHealthy.ShouldBeFalse();
        response.Checks["database"].ShouldBe(new HealthEntry("unhealthy", "PostgreSQL does not answer.", 12.5));
        response.Version.ShouldBe("1.2.3");
        response.UptimeSeconds.ShouldBe(120);
    }

    [Fact]
    public void Only_a_healthy_report_is_healthy()
    {
        HealthResponse Of(HealthStatus status) => CheckHealthHandler.ResponseOf(
            new HealthReport(new Dictionary<string, HealthReportEntry> { ["database"] = new(status, null, TimeSpan.Zero, null, null) }, TimeSpan.Zero),
            "1.0.0", TimeSpan.Zero);

        Of(HealthStatus.Healthy).IsHealthy.ShouldBeTrue();
        Of(HealthStatus.Degraded).IsHealthy.ShouldBeFalse();
        Of(HealthStatus.Unhealthy).IsHealthy.ShouldBeFalse();
    }
}
