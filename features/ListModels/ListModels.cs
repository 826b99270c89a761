using BaseAgency.Plans;
using BaseAgency.Providers;
using FastEndpoints;

namespace BaseAgency.Features.ListModels;

public sealed class ListModelsRequest
{
    [QueryParam] public GenerationType? Type { get; init; }
}

public sealed record ListModels(Guid OrganizationId, GenerationType? Type);

/// <param name="Usable">Whether this organization can use it now; otherwise <see cref="Reason"/> says why.</param>
/// <param name="KeySource">"organization" (its own key), "platform", or null when the provider needs none.</param>
/// <param name="MaxSide">Images: the longest side the model makes, in pixels.</param>
public sealed record ModelView(
    GenerationType Type, string Provider, string Model, decimal CreditsPerUnit, PriceUnit Unit,
    IReadOnlyDictionary<int, decimal> ResolutionMultipliers, int? MaxSide, bool Usable, string? Reason, string? KeySource,
    ProviderHealthStatus Health);

public sealed record ModelsResponse(IReadOnlyList<ModelView> Items);

/// <summary>Whether an organization can use a model now: which key it would use, its provider's health, and what stops it.</summary>
public sealed record ModelAvailability(string? KeySource, ProviderHealthStatus Health, string? Reason);
