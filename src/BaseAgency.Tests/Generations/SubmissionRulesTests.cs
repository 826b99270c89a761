using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Providers;

namespace BaseAgency.Tests.Generations;

/// <summary>Whether a job is accepted, as a function of the order and the facts: no host, no database.</summary>
public sealed class SubmissionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid JobId = Guid.CreateVersion7(Now);
    private static readonly GenerationOptions Options = new();

    private static readonly ProviderState Ready = new(HasKey: true, IsDown: false);
    private static readonly ProviderState NoKey = new(HasKey: false, IsDown: false);
    private static readonly ProviderState Down = new(HasKey: true, IsDown: true);

    private static JobOrder Order(GenerationType type, JobInput input, string? provider = null, string? model = null, bool allowFailover = false) =>
        new(Org, Guid.NewGuid(), new IdempotentRequest("key-1", "fingerprint-1"), type, provider, model, input, allowFailover);

    private static SubmissionFacts Facts(PlanSlug plan, PeriodUsage? usage = null, params (string Name, ProviderState State)[] providers)
    {
        var subscription = Subscription.StartFree(Org, Now) with { Plan = plan };
        var usageId = PeriodUsage.IdFor(Org, subscription.CurrentPeriodStart);
        return new SubmissionFacts(
            new Entitlements(SeedPlans.Plans.Single(p => p.Slug == plan), subscription, usage ?? new PeriodUsage(usageId, 0, 0, 0)),
            SeedPlans.Prices.ToDictionary(r => r.Id),
            (providers.Length == 0 ? [("local", Ready)] : providers).ToDictionary(p => p.Name, p => p.State));
    }

    private static Outcome<Acceptance> Decide(JobOrder order, SubmissionFacts facts) => SubmissionRules.Decide(order, facts, Options, JobId, Now);

    private static string? Code<T>(Outcome<T> outcome) => outcome.Problem?.ProblemDetails.Extensions["code"] as string;

    private static object? Extension<T>(Outcome<T> outcome, string key) => outcome.Problem!.ProblemDetails.Extensions[key];

    [Fact]
    public void A_plan_without_the_feature_refuses_the_type_before_anything_else()
    {
        var video = Decide(Order(GenerationType.Video, new JobInput("", DurationSeconds: 5)), Facts(PlanSlug.Free));
        Code(video).ShouldBe("plan_feature_unavailable");
        video.Problem!.StatusCode.ShouldBe(403);
        Extension(video, "plan").ShouldBe("free");
        Code(Decide(Order(GenerationType.Audio, new JobInput("hello")), Facts(PlanSlug.Free))).ShouldBe("plan_feature_unavailable");
        Decide(Order(GenerationType.Text, new JobInput("hello", MaxTokens: 10)), Facts(PlanSlug.Free)).Problem.ShouldBeNull();
    }

    [Fact]
    public void The_default_provider_and_its_default_model_are_used_when_none_is_named()
    {
        SubmissionRules.Target(Order(GenerationType.Image, new JobInput("x")), Options).ShouldBe(("local", "local-image"));
        SubmissionRules.Target(Order(GenerationType.Image, new JobInput("x"), provider: " OpenAI "), Options).ShouldBe(("openai", "dall-e-3"));
        SubmissionRules.Target(Order(GenerationType.Video, new JobInput("")), Options).ShouldBe(("local", null));

        var video = Decide(Order(GenerationType.Video, new JobInput("", DurationSeconds: 5)), Facts(PlanSlug.Starter));
        Code(video).ShouldBe("model_required");
        video.Problem!.StatusCode.ShouldBe(422);
    }

    [Fact]
    public void The_model_must_be_priced_active_and_of_the_type()
    {
        var unknown = Decide(Order(GenerationType.Image, new JobInput("x"), model: "no-such-model"), Facts(PlanSlug.Free));
        Code(unknown).ShouldBe("unknown_model");
        Extension(unknown, "model").ShouldBe("no-such-model");
        Code(Decide(Order(GenerationType.Image, new JobInput("x"), model: "local-audio"), Facts(PlanSlug.Free))).ShouldBe("model_type_mismatch");

        var facts = Facts(PlanSlug.Free);
        var inactive = facts with { Rows = facts.Rows.ToDictionary(r => r.Key, r => r.Value with { IsActive = r.Value.Model != "local-image" }) };
        Code(Decide(Order(GenerationType.Image, new JobInput("x")), inactive)).ShouldBe("unknown_model");
    }

    [Fact]
    public void A_provider_must_be_configured_here_and_have_a_key()
    {
        var image = new JobInput("x", Width: 512, Height: 512);
        Code(Decide(Order(GenerationType.Image, image, "replicate", "flux-schnell"), Facts(PlanSlug.Free))).ShouldBe("provider_unavailable");
        Code(Decide(Order(GenerationType.Image, image, "replicate", "flux-schnell"), Facts(PlanSlug.Free, null, ("replicate", NoKey))))
            .ShouldBe("provider_key_missing");
        Decide(Order(GenerationType.Image, image, "replicate", "flux-schnell"), Facts(PlanSlug.Free, null, ("replicate", Down)))
            .Problem.ShouldBeNull(); // down is the worker's to retry, unless failover was asked for
    }

    [Fact]
    public void Failover_takes_the_first_usable_equivalent_and_only_when_asked()
    {
        var image = new JobInput("x", Width: 512, Height: 512);
        var facts = Facts(PlanSlug.Starter, null, ("replicate", Down), ("freepik", NoKey), ("openai", Ready));

        var failedOver = Decide(Order(GenerationType.Image, image, "replicate", "flux-schnell", allowFailover: true), facts).Value!.Job;
        (failedOver.Provider, failedOver.Model).ShouldBe(("openai", "dall-e-3")); // freepik/mystic comes first but has no key
        failedOver.CreditsReserved.ShouldBe(4); // priced as the model that makes it

        var stays = Decide(Order(GenerationType.Image, image, "replicate", "flux-schnell"), facts).Value!.Job;
        (stays.Provider, stays.Model).ShouldBe(("replicate", "flux-schnell"));

        var nowhere = Facts(PlanSlug.Starter, null, ("replicate", NoKey));
        Code(Decide(Order(GenerationType.Image, image, "replicate", "flux-schnell", allowFailover: true), nowhere)).ShouldBe("provider_key_missing");
    }

    [Fact]
    public void Failover_alternatives_are_read_as_provider_slash_model_and_malformed_ones_skipped()
    {
        var options = new GenerationOptions { Failover = new() { ["a/b"] = ["c/d", "broken", "e/f/g", "h/i"] } };
        SubmissionRules.Alternatives("a", "b", options).ShouldBe([("c", "d"), ("h", "i")]);
        SubmissionRules.Alternatives("x", "y", options).ShouldBeEmpty();
    }

    [Fact]
    public void An_image_without_a_size_gets_the_aspect_ratio_at_the_default_or_the_plans_largest()
    {
        var free = Decide(Order(GenerationType.Image, new JobInput("x", AspectRatio: "16:9")), Facts(PlanSlug.Free)).Value!.Job.Input;
        (free.Width, free.Height).ShouldBe((512, 288));
        var starter = Decide(Order(GenerationType.Image, new JobInput("x", AspectRatio: "9:16")), Facts(PlanSlug.Starter)).Value!.Job.Input;
        (starter.Width, starter.Height).ShouldBe((576, 1024));
        var enterprise = Decide(Order(GenerationType.Image, new JobInput("x")), Facts(PlanSlug.Enterprise)).Value!.Job.Input;
        (enterprise.Width, enterprise.Height).ShouldBe((ImageSizes.DefaultLongestSide, ImageSizes.DefaultLongestSide));
    }

    [Fact]
    public void An_image_larger_than_the_plan_or_the_model_allows_is_refused_and_a_larger_one_costs_more()
    {
        var big = Decide(Order(GenerationType.Image, new JobInput("x", Width: 1024, Height: 1024)), Facts(PlanSlug.Free));
        Code(big).ShouldBe("resolution_above_plan");
        Extension(big, "maxResolution").ShouldBe("512x512");

        var dalle = Decide(Order(GenerationType.Image, new JobInput("x", Width: 2048, Height: 2048), "openai", "dall-e-3"),
            Facts(PlanSlug.Enterprise, null, ("openai", Ready)));
        Code(dalle).ShouldBe("resolution_not_supported");

        var large = Decide(Order(GenerationType.Image, new JobInput("x", Width: 2048, Height: 1024)), Facts(PlanSlug.Business)).Value!.Job;
        large.CreditsReserved.ShouldBe(2); // local-image doubles above 1024
    }

    [Fact]
    public void A_provider_that_makes_only_some_sizes_is_checked_and_priced_at_the_size_it_delivers()
    {
        var snapping = new ProviderState(HasKey: true, IsDown: false, Sizes: new SnapsTo(1792, 1024));
        var job = Decide(Order(GenerationType.Image, new JobInput("x", Width: 1600, Height: 900), "openai", "dall-e-3"),
            Facts(PlanSlug.Business, null, ("openai", snapping))).Value!.Job;
        (job.Input.Width, job.Input.Height).ShouldBe((1792, 1024));
        job.CreditsReserved.ShouldBe(8); // 4 per image × 2 for a side above 1024

        var tooLargeForPlan = Decide(Order(GenerationType.Image, new JobInput("x", Width: 1000, Height: 1000), "openai", "dall-e-3"),
            Facts(PlanSlug.Starter, null, ("openai", snapping)));
        Code(tooLargeForPlan).ShouldBe("resolution_above_plan"); // it would deliver 1792 wide; Starter stops at 1024
    }

    [Fact]
    public void A_video_longer_than_the_plan_allows_is_refused()
    {
        var facts = Facts(PlanSlug.Starter, null, ("replicate", Ready));
        var longer = Decide(Order(GenerationType.Video, new JobInput("", DurationSeconds: 6, SourceImage: "https://example.com/a.png"),
            "replicate", "kling-1.5"), facts);
        Code(longer).ShouldBe("video_duration_above_plan");
        Extension(longer, "maxVideoDuration").ShouldBe(5);

        var fits = Decide(Order(GenerationType.Video, new JobInput("", DurationSeconds: 5), "replicate", "kling-1.5"), facts).Value!.Job;
        fits.CreditsReserved.ShouldBe(50); // 10 credits a second
    }

    [Fact]
    public void Text_reserves_the_prompt_estimate_plus_max_tokens_and_counts_no_quota()
    {
        var accepted = Decide(Order(GenerationType.Text, new JobInput(new string('a', 400), MaxTokens: 1900)), Facts(PlanSlug.Free)).Value!;
        accepted.Job.CreditsReserved.ShouldBe(2); // (100 + 1900) tokens at 1 credit per 1000
        accepted.Usage.ShouldBeNull();
        accepted.Job.UsagePeriodId.ShouldBeNull();
    }

    [Fact]
    public void The_quota_counts_an_accepted_job_and_refuses_one_past_the_limit()
    {
        var facts = Facts(PlanSlug.Free);
        var accepted = Decide(Order(GenerationType.Image, new JobInput("x")), facts).Value!;
        accepted.Usage.ShouldBe(facts.Entitlements.Usage with { Images = 1 });
        accepted.Job.UsagePeriodId.ShouldBe(facts.Entitlements.Usage.Id);

        var full = Facts(PlanSlug.Free, facts.Entitlements.Usage with { Images = 50 });
        var exhausted = Decide(Order(GenerationType.Image, new JobInput("x")), full);
        Code(exhausted).ShouldBe("monthly_quota_exhausted");
        exhausted.Problem!.StatusCode.ShouldBe(403);
        Extension(exhausted, "quota").ShouldBe("images");
        Extension(exhausted, "limit").ShouldBe(50);
        Extension(exhausted, "used").ShouldBe(50);

        var speech = Facts(PlanSlug.Starter, facts.Entitlements.Usage with { AudioMinutes = 29 });
        var twoMinutes = new JobInput("long speech", DurationSeconds: 90);
        Code(Decide(Order(GenerationType.Audio, twoMinutes), speech)).ShouldBe("monthly_quota_exhausted"); // 29 + 2 > 30
        Decide(Order(GenerationType.Audio, twoMinutes with { DurationSeconds = 60 }), speech).Value!.Usage!.AudioMinutes.ShouldBe(30);
    }

    [Fact]
    public void An_accepted_job_is_queued_with_its_plans_priority_and_a_reservation_of_its_own()
    {
        var order = Order(GenerationType.Image, new JobInput("x"));
        var job = Decide(order, Facts(PlanSlug.Professional)).Value!.Job;
        job.Id.ShouldBe(JobId);
        job.OrganizationId.ShouldBe(Org);
        job.UserId.ShouldBe(order.UserId);
        job.Status.ShouldBe(JobStatus.Queued);
        job.Priority.ShouldBeTrue();
        (job.IdempotencyKey, job.RequestFingerprint).ShouldBe(("key-1", "fingerprint-1"));
        job.MaxAttempts.ShouldBe(Options.MaxAttempts);
        job.ReservationId.ShouldBe(CreditLedger.ReservationIdFor($"job:{JobId}"));
        (job.CreatedAt, job.QueuedAt).ShouldBe((Now, Now));
        Decide(order, Facts(PlanSlug.Free)).Value!.Job.Priority.ShouldBeFalse();
    }

    [Fact]
    public void A_key_a_job_holds_replays_the_same_request_and_refuses_any_other_with_422()
    {
        var earlier = Decide(Order(GenerationType.Image, new JobInput("once only")), Facts(PlanSlug.Free)).Value!.Job;

        var replay = SubmissionRules.Replay(earlier, new IdempotentRequest("key-1", "fingerprint-1")).Value!;
        replay.Replayed.ShouldBeTrue();
        replay.Job.Id.ShouldBe(earlier.Id);
        // Another size, model, provider or tag is another fingerprint, whatever the prompt.
        var reused = SubmissionRules.Replay(earlier, new IdempotentRequest("key-1", "fingerprint-2"));
        Code(reused).ShouldBe("idempotency_key_reused");
        reused.Problem!.StatusCode.ShouldBe(422);
    }

    [Theory]
    [InlineData("512x512", 512)]
    [InlineData("1024x768", 1024)]
    [InlineData("768x2048", 2048)]
    [InlineData("unlimited", null)]
    public void A_plans_max_resolution_is_its_longest_side(string maxResolution, int? side) =>
        SubmissionRules.MaxSide(maxResolution).ShouldBe(side);

    [Fact]
    public void Text_needs_no_plan_feature()
    {
        SubmissionRules.FeatureFor(GenerationType.Image).ShouldBe(PlanFeature.ImageGeneration);
        SubmissionRules.FeatureFor(GenerationType.Video).ShouldBe(PlanFeature.VideoGeneration);
        SubmissionRules.FeatureFor(GenerationType.Audio).ShouldBe(PlanFeature.AudioGeneration);
        SubmissionRules.FeatureFor(GenerationType.Text).ShouldBeNull();
    }

    private sealed class SnapsTo(int width, int height) : ISnapsImageSize
    {
        public (int Width, int Height) SnapImageSize(string model, int w, int h) => (width, height);
    }
}
