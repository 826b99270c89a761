namespace BaseAgency.Plans;

public enum PlanSlug { Free, Starter, Professional, Business, Enterprise }

/// <summary>A plan's quotas. −1 means unlimited, as in the seed.</summary>
public sealed record PlanLimits(
    int ImagesPerMonth,
    int VideosPerMonth,
    int AudioMinutesPerMonth,
    string MaxResolution,
    int MaxVideoDuration,
    int MaxTeamMembers,
    int MaxProjects,
    decimal MaxStorageGb,
    int ApiRequestsPerMinute,
    int ApiRequestsPerDay,
    bool PriorityQueue,
    bool CustomModels = false,
    bool WhiteLabel = false,
    bool DedicatedSupport = false,
    int MaxRunningJobs = PlanLimits.Unlimited)
{
    public const int Unlimited = -1;

    /// <summary>True when one more unit fits under <paramref name="limit"/> given what is already used.</summary>
    public static bool Allows(int limit, int used, int more = 1) => limit == Unlimited || used + more <= limit;
}

public sealed record PlanFeatures(
    bool ImageGeneration,
    bool VideoGeneration,
    bool AudioGeneration,
    bool Workflow,
    bool Analytics,
    bool ApiAccess,
    bool Webhooks = false,
    bool Sso = false);

/// <summary>A subscription plan; the id is the slug in lower case ("free", "starter", ...). Prices in cents.</summary>
public sealed record Plan(
    string Id,
    PlanSlug Slug,
    string Name,
    int PriceMonthlyCents,
    int PriceYearlyCents,
    int CreditsMonthly,
    PlanLimits Limits,
    PlanFeatures Features,
    bool IsActive = true)
{
    public static string IdOf(PlanSlug slug) => slug.ToString().ToLowerInvariant();
}
