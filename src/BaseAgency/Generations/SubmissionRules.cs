using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Providers;

namespace BaseAgency.Generations;

/// <summary>What a generate handler hands to <see cref="JobSubmission"/> once its own request is valid.</summary>
/// <param name="AllowFailover">When the named provider is down or has no key, use a configured equivalent on another (priced as that one).</param>
/// <param name="Idempotency">The request's Idempotency-Key and fingerprint, kept on the job as the durable guard against a second charge.</param>
/// <param name="ApiKeyId">The API key that submits it, whose own limits apply too; null for a signed-in session.</param>
/// <param name="QuoteId">The <see cref="Quote"/> whose price the job pays, if the caller asked for one.</param>
public sealed record JobOrder(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerationType Type, string? Provider, string? Model,
    JobInput Input, bool AllowFailover, Guid? ApiKeyId = null, Guid? QuoteId = null, TimeSpan? CancelAfter = null);

/// <summary>A provider configured on this server, as the rules see it.</summary>
/// <param name="HasKey">It needs no key, or the platform or the organization has one.</param>
/// <param name="Sizes">Set when the provider makes only some image sizes.</param>
public sealed record ProviderState(bool HasKey, bool IsDown, ISnapsImageSize? Sizes = null)
{
    public bool Usable => HasKey && !IsDown;
}

/// <summary>
/// What the rules look at: the plan with this period's usage, the price rows of the asked model and of its
/// failover alternatives (by <see cref="PriceRow.IdOf"/>), and those of their providers configured here (by name).
/// </summary>
public sealed record SubmissionFacts(Entitlements Entitlements, IReadOnlyDictionary<string, PriceRow> Rows,
    IReadOnlyDictionary<string, ProviderState> Providers);

/// <summary>A job the rules accept, its price, and the period's usage with it counted (null when its type counts no quota).</summary>
public sealed record Acceptance(GenerationJob Job, PeriodUsage? Usage, PriceQuote Price);

/// <summary>The accepted job, or the earlier one made by the same request.</summary>
public sealed record Submitted(JobView Job, bool Replayed);

/// <summary>
/// Whether a generation job is accepted, as pure functions of the order and the facts: plan feature, model
/// and price row, failover, image size and plan resolution, video length, provider and key, price, quota.
/// Each "no" is its own problem; credits are the ledger's to decide.
/// </summary>
public static class SubmissionRules
{
    /// <summary>The provider and model asked for, defaults filled in; the model is null when the provider has no default for the type.</summary>
    public static (string Provider, string? Model) Target(JobOrder order, GenerationOptions options)
    {
        var provider = (order.Provider ?? options.DefaultProvider).Trim().ToLowerInvariant();
        var model = order.Model?.Trim() ??
                    (options.DefaultModels.TryGetValue(provider, out var models) && models.TryGetValue(order.Type, out var fallback) ? fallback : null);
        return (provider, model);
    }

    /// <summary>The equivalents configured for a model, in the order they are tried.</summary>
    public static IEnumerable<(string Provider, string Model)> Alternatives(string provider, string model, GenerationOptions options) =>
        (options.Failover.GetValueOrDefault($"{provider}/{model}") ?? [])
        .Select(alternative => alternative.Split('/'))
        .Where(parts => parts.Length == 2)
        .Select(parts => (parts[0], parts[1]));

    public static Outcome<Acceptance> Decide(JobOrder order, SubmissionFacts facts, GenerationOptions options, Guid jobId, DateTimeOffset now)
    {
        var (entitlements, type) = (facts.Entitlements, order.Type);
        var plan = entitlements.Plan;
        if (FeatureFor(type) is { } feature && !entitlements.Allows(feature))
            return Problems.Forbidden("plan_feature_unavailable", $"The {plan.Name} plan does not include {Noun(type)} generation.",
                "Upgrade the plan (POST /api/subscription) to use it.", ("plan", plan.Id));

        var (provider, model) = Target(order, options);
        if (model is null)
            return Problems.Of(422, "model_required", $"Name a model: provider '{provider}' has no default for {Noun(type)}.");
        if (facts.Rows.GetValueOrDefault(PriceRow.IdOf(provider, model)) is not { IsActive: true } row)
            return Problems.Of(422, "unknown_model", $"'{provider}/{model}' is not an available model.", null, ("provider", provider), ("model", model));
        if (row.Unit != Pricing.UnitFor(type))
            return Problems.Of(422, "model_type_mismatch", $"'{provider}/{model}' does not make {Noun(type)}.");
        if (order.AllowFailover && !Usable(facts, provider)) (provider, model, row) = Failover(provider, model, row, facts, options);

        var input = order.Input;
        decimal multiplier = 1;
        if (type == GenerationType.Image)
        {
            var sized = SizeImage(input, plan, row, model, facts.Providers.GetValueOrDefault(provider));
            if (sized.Problem is { } tooLarge) return tooLarge;
            (input, multiplier) = sized.Value;
        }
        if (type == GenerationType.Video && plan.Limits.MaxVideoDuration != PlanLimits.Unlimited && input.DurationSeconds > plan.Limits.MaxVideoDuration)
            return Problems.Forbidden("video_duration_above_plan", $"The {plan.Name} plan allows videos up to {plan.Limits.MaxVideoDuration} s.",
                null, ("maxVideoDuration", plan.Limits.MaxVideoDuration));

        if (facts.Providers.GetValueOrDefault(provider) is not { } state)
            return Problems.Of(422, "provider_unavailable", $"The provider '{provider}' is not configured on this server.");
        if (!state.HasKey)
            return Problems.Of(422, "provider_key_missing", $"There is no API key for '{provider}'.", "Add the organization's own key with POST /api/provider-keys.");

        var tokens = type == GenerationType.Text ? Estimates.Tokens(input.Prompt) + (input.MaxTokens ?? 0) : 0;
        var price = Pricing.Quote(row, Pricing.Units(type, input, tokens), multiplier);
        var job = new GenerationJob(jobId, order.OrganizationId, order.UserId, type, provider, model, input, JobStatus.Queued,
            plan.Limits.PriorityQueue, price.Credits, ReservationId: Guid.Empty, now, order.Idempotency?.Key, MaxAttempts: options.MaxAttempts,
            CostUsd: price.CostUsd, QueuedAt: now, RequestFingerprint: order.Idempotency?.Fingerprint, ApiKeyId: order.ApiKeyId);
        job = job with { ReservationId = CreditLedger.ReservationIdFor(job.ReservationReference) };

        if (QuotaUsage.QuotaFor(type) is not { } quota) return new Acceptance(job, null, price);
        var usage = entitlements.Usage;
        var units = QuotaUsage.UnitsOf(type, input);
        var limit = entitlements.LimitOf(quota);
        if (!PlanLimits.Allows(limit, usage.Of(quota), units))
            return Problems.Forbidden("monthly_quota_exhausted", $"This period's {Noun(type)} quota is used up.",
                $"The {plan.Name} plan allows {limit} per period; it renews on {entitlements.Subscription.CurrentPeriodEnd:yyyy-MM-dd}.",
                ("quota", Json.EnumNaming.ConvertName(quota.ToString())), ("limit", limit), ("used", usage.Of(quota)));
        return new Acceptance(job with { UsagePeriodId = usage.Id }, QuotaUsage.Add(usage, type, units), price);
    }

    /// <summary>The first configured equivalent that is active, priced in the same unit and usable; the asked model when none is.</summary>
    public static (string Provider, string Model, PriceRow Row) Failover(string provider, string model, PriceRow row, SubmissionFacts facts,
        GenerationOptions options)
    {
        foreach (var (otherProvider, otherModel) in Alternatives(provider, model, options))
            if (facts.Rows.GetValueOrDefault(PriceRow.IdOf(otherProvider, otherModel)) is { IsActive: true } other && other.Unit == row.Unit &&
                Usable(facts, otherProvider))
                return (otherProvider, otherModel, other);
        return (provider, model, row);
    }

    /// <summary>
    /// The size an image is made and priced at: the one asked, or else the aspect ratio at the default size (or
    /// the plan's largest, if smaller); then the size the provider will actually deliver, which must fit the
    /// plan and the model.
    /// </summary>
    public static Outcome<(JobInput Input, decimal Multiplier)> SizeImage(JobInput input, Plan plan, PriceRow row, string model, ProviderState? provider)
    {
        var planMax = MaxSide(plan.Limits.MaxResolution);
        if (input.Width is null || input.Height is null)
        {
            var (w, h) = ImageSizes.For(input.AspectRatio, Math.Min(ImageSizes.DefaultLongestSide, planMax ?? int.MaxValue));
            input = input with { Width = w, Height = h };
        }
        if (provider?.Sizes is { } sizes)
        {
            var (w, h) = sizes.SnapImageSize(model, input.Width!.Value, input.Height!.Value);
            input = input with { Width = w, Height = h };
        }
        var (width, height) = (input.Width!.Value, input.Height!.Value);
        if (Math.Max(width, height) > planMax)
            return Problems.Forbidden("resolution_above_plan", $"The {plan.Name} plan allows images up to {plan.Limits.MaxResolution}.",
                null, ("maxResolution", plan.Limits.MaxResolution));
        if (Pricing.Multiplier(row, Math.Max(width, height)) is not { } multiplier)
            return Problems.Of(422, "resolution_not_supported", $"'{model}' does not make images of {width}x{height}.",
                $"Its largest side is {row.ResolutionMultipliers.Keys.Max()} pixels.");
        return (input, multiplier);
    }

    /// <summary>
    /// A job already holds the key: the request that made it ran again (its first attempt died before its answer was
    /// kept), which returns that job; or the key came back for another request after it was forgotten, which is refused.
    /// </summary>
    public static Outcome<Submitted> Replay(GenerationJob earlier, IdempotentRequest request) =>
        earlier.RequestFingerprint == request.Fingerprint
            ? new Submitted(JobView.Of(earlier), Replayed: true)
            : Idempotency.KeyReused($"It belongs to job {earlier.Id}.");

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

    private static bool Usable(SubmissionFacts facts, string provider) => facts.Providers.GetValueOrDefault(provider) is { Usable: true };

    private static string Noun(GenerationType type) => type.ToString().ToLowerInvariant();
}
