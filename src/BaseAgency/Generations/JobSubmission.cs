using BaseAgency.Hosting;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Generations;

/// <summary>What a generation endpoint hands over once its own request is valid.</summary>
/// <param name="AllowFailover">When the named provider is down or has no key, use a configured equivalent on another (priced as that one).</param>
public sealed record GenerationOrder(GenerationType Type, string? Provider, string? Model, JobInput Input, string? IdempotencyKey, bool AllowFailover = false);

public sealed record Submitted(GenerationJob Job, bool Replayed);

/// <summary>
/// Accepting a generation job: every check that can say no runs before anything is queued (plan feature,
/// model, size and duration limits, credits, monthly quota), then the job, its credit reservation, its
/// quota count and its queue message commit in one transaction (saved here).
/// </summary>
public sealed class JobSubmission(CreditLedger ledger, IEnumerable<IGenerationProvider> providers, ProviderCredentials credentials,
    ProviderHealth health, IOptions<GenerationOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, IGenerationProvider> _providers = providers.ToDictionary(p => p.Name);

    public async Task<(Submitted? Accepted, ProblemHttpResult? Problem)> SubmitAsync(IDocumentSession session, IMessageBus outbox,
        Guid organizationId, Guid userId, GenerationOrder order, CancellationToken ct)
    {
        if (order.IdempotencyKey is { } key && await FindByKeyAsync(session, key, ct) is { } earlier) return Replay(earlier, order);

        var entitlements = await Entitlements.ForAsync(session, organizationId, ct);
        var plan = entitlements.Plan;
        if (FeatureFor(order.Type) is { } feature && !entitlements.Allows(feature))
            return Fail(Problems.Forbidden("plan_feature_unavailable", $"The {plan.Name} plan does not include {Noun(order.Type)} generation.",
                "Upgrade the plan (POST /api/subscription) to use it.", ("plan", plan.Id)));

        var provider = (order.Provider ?? options.Value.DefaultProvider).Trim().ToLowerInvariant();
        var model = order.Model?.Trim() ?? DefaultModel(provider, order.Type);
        if (model is null)
            return Fail(Problems.Of(422, "model_required", $"Name a model: provider '{provider}' has no default for {Noun(order.Type)}."));
        var row = await session.LoadAsync<PriceRow>(PriceRow.IdOf(provider, model), ct);
        if (row is not { IsActive: true })
            return Fail(Problems.Of(422, "unknown_model", $"'{provider}/{model}' is not an available model.",
                null, ("provider", provider), ("model", model)));
        if (row.Unit != Pricing.UnitFor(order.Type))
            return Fail(Problems.Of(422, "model_type_mismatch", $"'{provider}/{model}' does not make {Noun(order.Type)}."));

        if (order.AllowFailover && !await UsableAsync(session, provider, ct))
            foreach (var alternative in options.Value.Failover.GetValueOrDefault($"{provider}/{model}") ?? [])
            {
                if (alternative.Split('/') is not [var otherProvider, var otherModel]) continue;
                var other = await session.LoadAsync<PriceRow>(PriceRow.IdOf(otherProvider, otherModel), ct);
                if (other is not { IsActive: true } || other.Unit != row.Unit || !await UsableAsync(session, otherProvider, ct)) continue;
                (provider, model, row) = (otherProvider, otherModel, other);
                break;
            }

        var input = order.Input;
        decimal multiplier = 1;
        if (order.Type == GenerationType.Image)
        {
            if (input.Width is null || input.Height is null)
            {
                // No size asked: the aspect ratio at the default size, or the plan's largest if that is smaller.
                var (w, h) = ImageSizes.For(input.AspectRatio, Math.Min(ImageSizes.DefaultLongestSide, MaxSide(plan.Limits.MaxResolution) ?? int.MaxValue));
                input = input with { Width = w, Height = h };
            }
            if (_providers.GetValueOrDefault(provider) is ISnapsImageSize snaps)
            {
                var (w, h) = snaps.SnapImageSize(model, input.Width!.Value, input.Height!.Value);
                input = input with { Width = w, Height = h };
            }
            var (width, height) = (input.Width!.Value, input.Height!.Value);
            if (MaxSide(plan.Limits.MaxResolution) is { } planMax && Math.Max(width, height) > planMax)
                return Fail(Problems.Forbidden("resolution_above_plan", $"The {plan.Name} plan allows images up to {plan.Limits.MaxResolution}.",
                    null, ("maxResolution", plan.Limits.MaxResolution)));
            if (Pricing.Multiplier(row, Math.Max(width, height)) is not { } m)
                return Fail(Problems.Of(422, "resolution_not_supported", $"'{model}' does not make images of {width}x{height}.",
                    $"Its largest side is {row.ResolutionMultipliers.Keys.Max()} pixels."));
            multiplier = m;
        }
        if (order.Type == GenerationType.Video && plan.Limits.MaxVideoDuration != PlanLimits.Unlimited &&
            input.DurationSeconds > plan.Limits.MaxVideoDuration)
            return Fail(Problems.Forbidden("video_duration_above_plan", $"The {plan.Name} plan allows videos up to {plan.Limits.MaxVideoDuration} s.",
                null, ("maxVideoDuration", plan.Limits.MaxVideoDuration)));

        if (!_providers.ContainsKey(provider))
            return Fail(Problems.Of(422, "provider_unavailable", $"The provider '{provider}' is not configured on this server."));
        if (ProviderSetup.External.ContainsKey(provider) && !credentials.PlatformHasKey(provider) &&
            await session.LoadAsync<ProviderKey>(provider, ct) is not { Valid: true })
            return Fail(Problems.Of(422, "provider_key_missing", $"There is no API key for '{provider}'.",
                "Add the organization's own key with POST /api/provider-keys."));

        var tokens = order.Type == GenerationType.Text ? Estimates.Tokens(input.Prompt) + (input.MaxTokens ?? 0) : 0;
        var price = Pricing.Quote(row, Pricing.Units(order.Type, input, tokens), multiplier);

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var job = new GenerationJob(id, organizationId, userId, order.Type, provider, model, input, JobStatus.Queued,
            plan.Limits.PriorityQueue, price.Credits, CreditLedger.ReservationIdFor($"job:{id}"), now, order.IdempotencyKey,
            MaxAttempts: options.Value.MaxAttempts, CostUsd: price.CostUsd, QueuedAt: now);

        // From here the organization's ledger is locked until the transaction ends: the quota count below cannot race.
        var reserved = await ledger.ReserveAsync(session, outbox, organizationId, price.Credits, job.ReservationReference, ct,
            options.Value.ReservationTimeout);
        if (reserved.Rejection is { } rejection) return Fail(Problems.From(rejection));

        if (QuotaUsage.QuotaFor(order.Type) is { } quota)
        {
            var usageId = PeriodUsage.IdFor(organizationId, entitlements.Subscription.CurrentPeriodStart);
            var usage = await session.LoadAsync<PeriodUsage>(usageId, ct) ?? new PeriodUsage(usageId, 0, 0, 0);
            var units = QuotaUsage.UnitsOf(order.Type, input);
            var limit = entitlements.LimitOf(quota);
            if (!PlanLimits.Allows(limit, usage.Of(quota), units))
                return Fail(Problems.Forbidden("monthly_quota_exhausted", $"This period's {Noun(order.Type)} quota is used up.",
                    $"The {plan.Name} plan allows {limit} per period; it renews on {entitlements.Subscription.CurrentPeriodEnd:yyyy-MM-dd}.",
                    ("quota", ServiceNames.Of(quota)), ("limit", limit), ("used", usage.Of(quota))));
            session.Store(QuotaUsage.Add(usage, order.Type, units));
            job = job with { UsagePeriodId = usageId };
        }

        session.Insert(job);
        await outbox.EndpointFor(GenerationOptions.QueueFor(order.Type, job.Priority))
            .SendAsync(new RunGenerationJob(organizationId, job.Id), new DeliveryOptions { TenantId = session.TenantId });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e.IsUniqueViolation() && order.IdempotencyKey is { } raced)
        {
            // The same key arrived twice at once: the other request's job is the one.
            await using var fresh = session.DocumentStore.QuerySession(session.TenantId);
            return Replay((await FindByKeyAsync(fresh, raced, ct))!, order);
        }
        return (new(job, false), null);
    }

    /// <summary>A repeated key returns the first job, unless it is being used for a different request.</summary>
    private static (Submitted?, ProblemHttpResult?) Replay(GenerationJob earlier, GenerationOrder order) =>
        earlier.Type == order.Type && earlier.Input.Prompt == order.Input.Prompt
            ? (new(earlier, true), null)
            : Fail(Problems.Conflict("idempotency_key_reused", "This Idempotency-Key was used for a different request.",
                $"It belongs to job {earlier.Id}."));

    /// <summary>Registered, with a key (the organization's or the platform's), and not known to be down.</summary>
    private async Task<bool> UsableAsync(IQuerySession session, string provider, CancellationToken ct) =>
        _providers.ContainsKey(provider) && health.StatusOf(provider) != ProviderHealthStatus.Down &&
        (!ProviderSetup.External.ContainsKey(provider) || credentials.PlatformHasKey(provider) ||
         await session.LoadAsync<ProviderKey>(provider, ct) is { Valid: true });

    public static Task<GenerationJob?> FindByKeyAsync(IQuerySession session, string key, CancellationToken ct) =>
        session.Query<GenerationJob>().FirstOrDefaultAsync(j => j.IdempotencyKey == key, ct);

    private string? DefaultModel(string provider, GenerationType type) =>
        options.Value.DefaultModels.TryGetValue(provider, out var models) && models.TryGetValue(type, out var model) ? model : null;

    /// <summary>"1024x1024" → 1024; "unlimited" → null.</summary>
    public static int? MaxSide(string maxResolution) =>
        maxResolution.Split('x') is [var w, var h] && int.TryParse(w, out var width) && int.TryParse(h, out var height)
            ? Math.Max(width, height)
            : null;

    /// <summary>The plan feature a type needs (text needs none).</summary>
    public static PlanFeature? FeatureFor(GenerationType type) => type switch
    {
        GenerationType.Image => PlanFeature.ImageGeneration,
        GenerationType.Video => PlanFeature.VideoGeneration,
        GenerationType.Audio => PlanFeature.AudioGeneration,
        _ => null,
    };

    private static string Noun(GenerationType type) => type.ToString().ToLowerInvariant();

    private static (Submitted?, ProblemHttpResult?) Fail(ProblemHttpResult problem) => (null, problem);
}

internal static class ServiceNames
{
    public static string Of(PlanQuota quota) => Json.EnumNaming.ConvertName(quota.ToString());
}
