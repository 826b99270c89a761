using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Plans;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using Marten;

namespace BaseAgency.Features.ListModels;

/// <summary>The active price rows of the providers this server runs, each with what would stop the organization using it.</summary>
public static class ListModelsHandler
{
    public static async Task<Outcome<ModelsResponse>> Handle(ListModels query, IQuerySession session, IEnumerable<IGenerationProvider> providers,
        ProviderCredentials credentials, ProviderHealth health, CancellationToken ct)
    {
        var entitlements = await Entitlements.ForAsync(session, query.OrganizationId, ct);
        var ownKeys = (await session.Query<ProviderKey>().Where(k => k.Valid).ToListAsync(ct)).Select(k => k.Id).ToHashSet();
        var registered = providers.Select(p => p.Name).ToHashSet();
        var rows = await session.Query<PriceRow>().Where(r => r.IsActive).ToListAsync(ct);

        return new ModelsResponse(rows
            .Select(row => (Row: row, Type: Pricing.TypeFor(row.Unit)))
            .Where(x => query.Type is null || x.Type == query.Type)
            .Where(x => registered.Contains(x.Row.Provider))
            .Select(x => View(x.Row, x.Type, Availability(
                planAllows: SubmissionRules.FeatureFor(x.Type) is not { } feature || entitlements.Allows(feature),
                external: ProviderSetup.External.ContainsKey(x.Row.Provider),
                ownKey: ownKeys.Contains(x.Row.Provider),
                platformKey: credentials.PlatformHasKey(x.Row.Provider),
                providerHealth: health.StatusOf(x.Row.Provider))))
            .OrderBy(m => m.Type).ThenBy(m => m.Provider).ThenBy(m => m.Model)
            .ToList());
    }

    /// <summary>
    /// An external provider needs a key, the organization's own before the platform's; without either it shows as
    /// not configured, whatever its circuit says. One reason is given, the first of: plan, key, provider down.
    /// </summary>
    public static ModelAvailability Availability(bool planAllows, bool external, bool ownKey, bool platformKey, ProviderHealthStatus providerHealth)
    {
        var keySource = !external ? null : ownKey ? "organization" : platformKey ? "platform" : null;
        var unkeyed = external && keySource is null;
        var status = unkeyed ? ProviderHealthStatus.NotConfigured : providerHealth;
        var reason = !planAllows ? "plan_feature_unavailable"
            : unkeyed ? "provider_key_missing"
            : status == ProviderHealthStatus.Down ? "provider_down"
            : null;
        return new ModelAvailability(keySource, status, reason);
    }

    private static ModelView View(PriceRow row, GenerationType type, ModelAvailability availability) =>
        new(type, row.Provider, row.Model, row.CreditsPerUnit, row.Unit, row.ResolutionMultipliers,
            row.Unit == PriceUnit.Image && row.ResolutionMultipliers.Count > 0 ? row.ResolutionMultipliers.Keys.Max() : null,
            availability.Reason is null, availability.Reason, availability.KeySource, availability.Health);
}
