using BaseAgency.Generations;
using BaseAgency.Providers;
using BaseAgency.Usage;

namespace BaseAgency.Tests.Usage;

/// <summary>What each step of a job adds to its usage row, and the margin on credits: plain functions.</summary>
public sealed class UsageCountersTests
{
    private static readonly GenerationJob Job = new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), GenerationType.Audio, "elevenlabs", "v2",
        new JobInput("hello", DurationSeconds: 90), JobStatus.Queued, false, 12, Guid.NewGuid(), DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_new_job_counts_as_submitted_and_nothing_else() =>
        UsageCounters.CountsOf(Job).ShouldBe(new JobCounts(1, 0, 0, 0, 0, 0, 0, 0, 0));

    [Fact]
    public void A_completed_job_counts_what_it_used_its_quota_units_and_its_files() =>
        UsageCounters.CountsOf(Job with { Status = JobStatus.Completed, CreditsUsed = 9, CostUsd = 0.0123m, TokensInput = 3, TokensOutput = 4 }, 2048)
            .ShouldBe(new JobCounts(0, 1, 0, 0, 9, 0.0123m, 7, 2, 2048));

    [Fact]
    public void A_failed_job_costs_nothing_and_a_canceled_one_what_it_was_charged()
    {
        UsageCounters.CountsOf(Job with { Status = JobStatus.Failed }).ShouldBe(new JobCounts(0, 0, 1, 0, 0, 0, 0, 0, 0));
        UsageCounters.CountsOf(Job with { Status = JobStatus.Canceled, CreditsUsed = 6 }).ShouldBe(new JobCounts(0, 0, 0, 1, 6, 0, 0, 0, 0));
    }

    [Fact]
    public void The_margin_is_the_credits_price_less_the_cost_exactly()
    {
        UsageReports.MarginOf(30, 0.75m, 0.10m).ShouldBe(new Margin(3.00m, 2.25m, 75.00m));
        UsageReports.MarginOf(0, 0.01m, 0.10m).ShouldBe(new Margin(0, -0.01m, null));
    }

    [Fact]
    public void Rows_are_added_to_never_overwritten()
    {
        var sql = UsageCounters.UpsertSql("agency");
        sql.ShouldContain("on conflict (organization_id, day, user_id, api_key_id, provider, model, type) do update set");
        foreach (var column in UsageCounters.CountColumns) sql.ShouldContain($"{column} = u.{column} + excluded.{column}");
    }
}
