namespace BaseAgency.Features.GetUsage;

public sealed record GetUsage(Guid OrganizationId);

/// <summary>How much of one limit is used; <see cref="Limit"/> null when the plan sets none.</summary>
public sealed record UsageMeter(long Used, long? Limit);

/// <summary>Credits available now by kind, and held for running work.</summary>
public sealed record UsageCredits(int Available, int Reserved, int Plan, int Paid, int Promotional);

/// <summary>
/// The current period's limits against their use. Images, videos and audio minutes are the plan's quota counts; text tokens
/// are counted from the period's first UTC day; API requests are today's (UTC); storage is the bytes of generated files kept.
/// </summary>
public sealed record UsageSummary(
    string Plan, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    UsageMeter Images, UsageMeter Videos, UsageMeter AudioMinutes, UsageMeter TextTokens, UsageMeter ApiRequestsToday,
    UsageMeter TeamMembers, UsageMeter StorageBytes, UsageCredits Credits);
