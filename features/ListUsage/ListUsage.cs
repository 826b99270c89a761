using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Usage;
using FastEndpoints;

namespace BaseAgency.Features.ListUsage;

public sealed class ListUsageRequest
{
    /// <summary>First UTC day (yyyy-MM-dd), inclusive; 29 days before <see cref="To"/> when left out.</summary>
    [QueryParam] public DateOnly? From { get; init; }
    /// <summary>Last UTC day, inclusive; today when left out.</summary>
    [QueryParam] public DateOnly? To { get; init; }
    /// <summary>day, user, apiKey, provider, model or type. A string: the binder reads enums only in PascalCase.</summary>
    [QueryParam] public string GroupBy { get; init; } = "day";
    /// <summary>json (the default) or csv.</summary>
    [QueryParam] public string Format { get; init; } = "json";

    /// <summary>The groupings by name; by day reads the day's totals.</summary>
    public static readonly IReadOnlyDictionary<string, UsageDimension> Groupings = new Dictionary<string, UsageDimension>
    {
        ["day"] = UsageDimension.All, ["user"] = UsageDimension.User, ["apiKey"] = UsageDimension.ApiKey,
        ["provider"] = UsageDimension.Provider, ["model"] = UsageDimension.Model, ["type"] = UsageDimension.Type,
    };

    public const int MaxDays = 366;
}

/// <param name="Caller">Decides what is seen: members their own rows, admins everyone's, platform operators costs too.</param>
public sealed record ListUsage(SignedIn Caller, DateOnly? From, DateOnly? To, UsageDimension GroupBy);

/// <summary>
/// One group's usage: <c>units</c> are what the plan's quotas count (images, videos, audio minutes). The platform's cost, the
/// credits' price and the margin are there for platform operators only (left out, not zero, for everyone else).
/// </summary>
public sealed record UsageRow(string? Key, long JobsSubmitted, long JobsCompleted, long JobsFailed, long JobsCanceled, long CreditsUsed,
    long Tokens, long Units, long ApiRequests, long ApiErrors, decimal? CostUsd = null, decimal? RevenueUsd = null, decimal? MarginUsd = null,
    decimal? MarginPercent = null);

/// <param name="OwnOnly">True when the rows are the caller's own usage only (a member or viewer).</param>
public sealed record UsageReport(DateOnly From, DateOnly To, string GroupBy, bool OwnOnly, IReadOnlyList<UsageRow> Rows);
