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
        UsageCounters.CountsOf(Job).ShouldBe(new UsageCounts(JobsSubmitted: 1));

    [Fact]
    public void A_completed_job_counts_what_it_used_its_quota_units_and_its_files() =>
        UsageCounters.CountsOf(Job with { Status = JobStatus.Completed, CreditsUsed = 9, CostUsd = 0.0123m, TokensInput = 3, TokensOutput = 4 }, 2048)
            .ShouldBe(new UsageCounts(JobsCompleted: 1, CreditsUsed: 9, CostUsd: 0.0123m, Tokens: 7, Units: 2, StoredBytes: 2048));

    [Fact]
    public void A_failed_job_costs_nothing_and_a_canceled_one_what_it_was_charged()
    {
        UsageCounters.CountsOf(Job with { Status = JobStatus.Failed }).ShouldBe(new UsageCounts(JobsFailed: 1));
        UsageCounters.CountsOf(Job with { Status = JobStatus.Canceled, CreditsUsed = 6 }).ShouldBe(new UsageCounts(JobsCanceled: 1, CreditsUsed: 6));
    }

    [Fact]
    public void The_margin_is_the_credits_price_less_the_cost_exactly()
    {
        UsageReports.MarginOf(30, 0.75m, 0.10m).ShouldBe(new Margin(3.00m, 2.25m, 75.00m));
        UsageReports.MarginOf(0, 0.01m, 0.10m).ShouldBe(new Margin(0, -0.01m, null));
    }

    [Fact]
    public void Usage_adds_to_each_dimensions_row_for_the_organization_and_its_member_for_the_day_and_the_month()
    {
        var user = Guid.NewGuid();
        var key = Guid.NewGuid();
        var day = new DateOnly(2026, 11, 25);
        var rows = UsageCounters.RowsOf(new UsageSource(Guid.NewGuid(), day, user, key, "openai", "dall-e-3", "image"));
        foreach (var scope in new[] { UsageCounters.Everyone, user })
        foreach (var (span, on) in new[] { (UsageSpan.Day, day), (UsageSpan.Month, new DateOnly(2026, 11, 1)) })
            rows.Where(r => r.Scope == scope && r.Span == span).ShouldBe([
                new(scope, UsageDimension.All, "", span, on), new(scope, UsageDimension.User, user.ToString(), span, on),
                new(scope, UsageDimension.ApiKey, key.ToString(), span, on), new(scope, UsageDimension.Provider, "openai", span, on),
                new(scope, UsageDimension.Model, "dall-e-3", span, on), new(scope, UsageDimension.Type, "image", span, on),
            ]);
        rows.Count.ShouldBe(24);
    }

    [Fact]
    public void A_range_reads_its_whole_months_by_month_and_the_days_around_them_by_day()
    {
        UsageSpans.Split(new DateOnly(2026, 1, 15), new DateOnly(2026, 4, 10)).ShouldBe(new UsageSpans(
            new DateOnly(2026, 1, 15), new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1),
            new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 10)));
        UsageSpans.Split(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)).ShouldBe(new UsageSpans(
            DateOnly.MaxValue, DateOnly.MinValue, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 1), DateOnly.MaxValue, DateOnly.MinValue));
        // No whole month inside: every day by its own row.
        UsageSpans.Split(new DateOnly(2026, 1, 15), new DateOnly(2026, 2, 27))
            .ShouldBe(UsageSpans.DaysOnly(new DateOnly(2026, 1, 15), new DateOnly(2026, 2, 27)));
        UsageSpans.Split(DateOnly.MinValue, DateOnly.MinValue).ShouldBe(UsageSpans.DaysOnly(DateOnly.MinValue, DateOnly.MinValue));
        UsageSpans.Split(new DateOnly(9999, 12, 2), DateOnly.MaxValue).ShouldBe(UsageSpans.DaysOnly(new DateOnly(9999, 12, 2), DateOnly.MaxValue));
    }

    [Fact]
    public void Rows_are_added_to_never_overwritten()
    {
        var sql = UsageCounters.UpsertSql("agency");
        sql.ShouldContain("on conflict (organization_id, user_scope, dimension, span, day, key) do update set");
        foreach (var column in UsageCounters.CountColumns) sql.ShouldContain($"{column} = u.{column} + excluded.{column}");
    }
}
