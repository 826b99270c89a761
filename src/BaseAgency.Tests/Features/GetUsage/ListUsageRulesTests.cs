using BaseAgency.Features.ListUsage;
using BaseAgency.Identity;

namespace BaseAgency.Tests.Features.GetUsage;

/// <summary>The report's range, who sees whose rows, and CSV cells: plain functions.</summary>
public sealed class ListUsageRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    [Fact]
    public void Without_dates_the_report_covers_the_last_thirty_days() =>
        ListUsageHandler.RangeOf(null, null, Today).Value.ShouldBe((new DateOnly(2026, 10, 27), Today));

    [Fact]
    public void The_first_days_of_the_calendar_are_a_range_like_any_other()
    {
        ListUsageHandler.RangeOf(null, DateOnly.MinValue, Today).Value.ShouldBe((DateOnly.MinValue, DateOnly.MinValue));
        ListUsageHandler.RangeOf(DateOnly.MaxValue, null, Today).Value.ShouldBe((DateOnly.MaxValue, DateOnly.MaxValue));
    }

    [Fact]
    public void A_range_of_366_days_is_the_longest()
    {
        ListUsageHandler.RangeOf(Today.AddDays(-365), Today, Today).Problem.ShouldBeNull();
        ListUsageHandler.RangeOf(Today.AddDays(-366), Today, Today).Problem!.ProblemDetails.Extensions["code"].ShouldBe("invalid_range");
        ListUsageHandler.RangeOf(Today, Today.AddDays(-1), Today).Problem!.ProblemDetails.Extensions["code"].ShouldBe("invalid_range");
    }

    [Theory]
    [InlineData(Role.Viewer, true)]
    [InlineData(Role.Member, true)]
    [InlineData(Role.Manager, true)]
    [InlineData(Role.Admin, false)]
    [InlineData(Role.SuperAdmin, false)]
    public void Admins_see_everyones_usage_and_the_others_their_own(Role role, bool ownOnly) =>
        ListUsageHandler.OwnOnly(role).ShouldBe(ownOnly);

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("flux,schnell", "\"flux,schnell\"")]
    [InlineData("dall-e-3", "dall-e-3")]
    [InlineData(null, "")]
    public void A_csv_cell_never_starts_a_formula(string? text, string cell) => ListUsageEndpoint.Cell(text).ShouldBe(cell);
}
