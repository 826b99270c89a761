using BaseAgency.Generations;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using FastEndpoints;
using Marten;

namespace BaseAgency.Features.ListModels;

public sealed class ListModelsRequest
{
    [QueryParam] public GenerationType? Type { get; init; }
}

/// <param name="Usable">Whether this organization can use it now; otherwise <see cref="Reason"/> says why.</param>
/// <param name="KeySource">"organization" (its own key), "platform", or null when the provider needs none.</param>
/// <param name="MaxSide">Images: the longest side the model makes, in pixels.</param>
public sealed record ModelView(
    GenerationType Type, string Provider, string Model, decimal CreditsPerUnit, PriceUnit Unit,
    IReadOnlyDictionary<int, decimal> ResolutionMultipliers, int? MaxSide, bool Usable, string? Reason, string? KeySource,
    ProviderHealthStatus Health);

public sealed record ModelsResponse(IReadOnlyList<ModelView> Items);

/// <summary>
/// GET /api/models: the catalog by type, with each model's price and limits, whether the organization can use
/// it (its plan, a key) and its provider's current health.
/// </summary>
public sealed class ListModelsEndpoint(IQuerySession session, IEnumerable<IGenerationProvider> providers, ProviderCredentials credentials,
    ProviderHealth health) : Endpoint<ListModelsRequest, ModelsResponse>
{
    public override void Configure()
    {
        Get("/models");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListModels").WithSummary("Models by type: price, limits, availability, provider health").WithTags("Generations"));
    }

    public override async Task HandleAsync(ListModelsRequest req, CancellationToken ct)
    {
        var entitlements = await Entitlements.ForAsync(session, User.Required().OrganizationId, ct);
        var ownKeys = (await session.Query<ProviderKey>().Where(k => k.Valid).ToListAsync(ct)).Select(k => k.Id).ToHashSet();
        var registered = providers.Select(p => p.Name).ToHashSet();
        var rows = await session.Query<PriceRow>().Where(r => r.IsActive).ToListAsync(ct);

        var items = rows
            .Select(row => (Row: row, Type: Pricing.TypeFor(row.Unit)))
            .Where(x => req.Type is null || x.Type == req.Type)
            .Where(x => registered.Contains(x.Row.Provider))
            .Select(x =>
            {
                var (row, type) = x;
                var external = ProviderSetup.External.ContainsKey(row.Provider);
                var keySource = !external ? null : ownKeys.Contains(row.Provider) ? "organization" : credentials.PlatformHasKey(row.Provider) ? "platform" : null;
                var status = external && keySource is null ? ProviderHealthStatus.NotConfigured : health.StatusOf(row.Provider);
                var reason = SubmissionRules.FeatureFor(type) is { } feature && !entitlements.Allows(feature) ? "plan_feature_unavailable"
                    : external && keySource is null ? "provider_key_missing"
                    : status == ProviderHealthStatus.Down ? "provider_down"
                    : null;
                return new ModelView(type, row.Provider, row.Model, row.CreditsPerUnit, row.Unit, row.ResolutionMultipliers,
                    row.Unit == PriceUnit.Image && row.ResolutionMultipliers.Count > 0 ? row.ResolutionMultipliers.Keys.Max() : null,
                    reason is null, reason, keySource, status);
            })
            .OrderBy(m => m.Type).ThenBy(m => m.Provider).ThenBy(m => m.Model)
            .ToList();
        await Send.OkAsync(new ModelsResponse(items), ct);
    }
}
