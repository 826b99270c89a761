using FastEndpoints;

namespace BaseAgency.Features.GetPlatformCosts;

public sealed class GetPlatformCostsRequest
{
    /// <summary>First UTC day, inclusive; the first day of the month eleven months before <see cref="To"/>'s when left out.</summary>
    [QueryParam] public DateOnly? From { get; init; }
    /// <summary>Last UTC day, inclusive; today when left out.</summary>
    [QueryParam] public DateOnly? To { get; init; }
}

public sealed record GetPlatformCosts(DateOnly? From, DateOnly? To);

/// <summary>One provider in one month across organizations: what its generations cost the platform and what their credits sold for.</summary>
public sealed record ProviderMonthCost(DateOnly Month, string Provider, long Generations, long CreditsUsed, decimal CostUsd, decimal RevenueUsd,
    decimal MarginUsd, decimal? MarginPercent);

public sealed record PlatformCosts(DateOnly From, DateOnly To, decimal CreditPriceUsd, IReadOnlyList<ProviderMonthCost> Items);
