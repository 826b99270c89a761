using BaseAgency.Features.RunGenerationJob;
using BaseAgency.Generations;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Providers;

namespace BaseAgency.Tests.Features.RunGenerationJob;

/// <summary>The job's outcomes as plain functions: no host, no database, no provider.</summary>
public sealed class JobOutcomesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly GenerationOptions Options = new() { RetryBaseDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromMinutes(2) };

    private static GenerationJob Job(GenerationType type = GenerationType.Image, JobInput? input = null, int attempts = 1, int reserved = 4) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), type, "local", "model", input ?? new JobInput("a prompt"),
            JobStatus.Processing, false, reserved, Guid.CreateVersion7(), Now.AddMinutes(-1), Attempts: attempts, CostUsd: 0.04m);

    private static PriceRow Row(PriceUnit unit, decimal credits, decimal usd, params (int Side, decimal Multiplier)[] sides) =>
        new("id", "local", "model", "generate", credits, usd, unit, sides.ToDictionary(s => s.Side, s => s.Multiplier));

    private static ProviderException Transient(TimeSpan? retryAfter = null) =>
        new(ProviderFailureKind.Transient, "rate_limited", "Slow down.", retryAfter, "req-1");

    [Fact]
    public void A_job_goes_ahead_while_its_reservation_is_open_and_attempts_remain()
    {
        JobOutcomes.BeforeAttempt(Job(attempts: 2), ReservationStatus.Open).ShouldBeNull();
        JobOutcomes.BeforeAttempt(Job(attempts: 0), null).ShouldBeNull(); // no reservation read: nothing says it closed
    }

    [Theory]
    [InlineData(ReservationStatus.Released)]
    [InlineData(ReservationStatus.Captured)]
    public void A_closed_reservation_stops_the_job_before_the_provider_is_called(ReservationStatus status) =>
        JobOutcomes.BeforeAttempt(Job(), status)!.Code.ShouldBe("reservation_expired");

    [Fact]
    public void Exhausted_attempts_fail_with_the_last_error_shown()
    {
        var stop = JobOutcomes.BeforeAttempt(Job(attempts: 3) with { ErrorMessage = "The provider timed out." }, ReservationStatus.Open)!;
        stop.Code.ShouldBe("attempts_exhausted");
        stop.Message.ShouldBe("The provider timed out.");
        JobOutcomes.BeforeAttempt(Job(attempts: 3), ReservationStatus.Open)!.Message.ShouldBe("The job did not finish within its attempts.");
    }

    [Fact]
    public void Starting_counts_the_attempt_and_keeps_the_first_start()
    {
        var first = JobOutcomes.Started(Job(attempts: 0) with { Status = JobStatus.Queued }, Now);
        first.Status.ShouldBe(JobStatus.Processing);
        first.Attempts.ShouldBe(1);
        first.StartedAt.ShouldBe(Now);
        JobOutcomes.Started(first, Now.AddMinutes(1)).StartedAt.ShouldBe(Now);
    }

    [Fact]
    public void Backoff_doubles_per_attempt_unless_the_provider_asks_for_longer()
    {
        var baseDelay = TimeSpan.FromSeconds(2);
        JobOutcomes.Backoff(1, null, baseDelay).ShouldBe(TimeSpan.FromSeconds(2));
        JobOutcomes.Backoff(2, null, baseDelay).ShouldBe(TimeSpan.FromSeconds(4));
        JobOutcomes.Backoff(3, null, baseDelay).ShouldBe(TimeSpan.FromSeconds(8));
        JobOutcomes.Backoff(2, TimeSpan.FromSeconds(30), baseDelay).ShouldBe(TimeSpan.FromSeconds(30));
        JobOutcomes.Backoff(3, TimeSpan.FromSeconds(1), baseDelay).ShouldBe(TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void A_transient_failure_is_retried_after_the_backoff_while_attempts_remain()
    {
        var setback = JobOutcomes.AfterProviderFailure(Job(attempts: 2), Transient(TimeSpan.FromSeconds(10)), Options);
        setback.RetryIn.ShouldBe(TimeSpan.FromSeconds(10));
        setback.Error.Code.ShouldBe("rate_limited");
    }

    [Fact]
    public void A_retry_after_beyond_the_longest_wait_fails_the_job_with_the_providers_error()
    {
        var setback = JobOutcomes.AfterProviderFailure(Job(attempts: 1), Transient(TimeSpan.FromMinutes(5)), Options);
        setback.RetryIn.ShouldBeNull();
        setback.Error.ShouldBe(new JobFailure("rate_limited", "Slow down.", "req-1"));
    }

    [Fact]
    public void A_transient_failure_on_the_last_attempt_and_a_permanent_one_fail_at_once()
    {
        JobOutcomes.AfterProviderFailure(Job(attempts: 3), Transient(), Options).RetryIn.ShouldBeNull();
        var permanent = JobOutcomes.AfterProviderFailure(Job(attempts: 1),
            new ProviderException(ProviderFailureKind.Permanent, "content_policy", "Refused by the content policy."), Options);
        permanent.RetryIn.ShouldBeNull();
        permanent.Error.Code.ShouldBe("content_policy");
    }

    [Fact]
    public void An_unexpected_error_is_retried_with_backoff_until_the_last_attempt()
    {
        var retried = JobOutcomes.AfterBreak(Job(attempts: 2), TimeSpan.FromSeconds(2));
        retried.RetryIn.ShouldBe(TimeSpan.FromSeconds(4));
        retried.Error.Code.ShouldBe("internal_error");
        var last = JobOutcomes.AfterBreak(Job(attempts: 3), TimeSpan.FromSeconds(2));
        last.RetryIn.ShouldBeNull();
        last.Error.Message.ShouldBe("The job failed unexpectedly.");
    }

    [Fact]
    public void A_requeued_job_waits_with_its_error_shown()
    {
        var requeued = JobOutcomes.Requeued(Job(), new JobFailure("rate_limited", "Slow down."));
        requeued.Status.ShouldBe(JobStatus.Queued);
        (requeued.ErrorCode, requeued.ErrorMessage).ShouldBe(("rate_limited", "Slow down."));
    }

    [Fact]
    public void An_image_costs_its_price_at_its_size_and_never_more_than_reserved()
    {
        var row = Row(PriceUnit.Image, 1, 0.02m, (1024, 1), (2048, 2));
        var large = Job(input: new JobInput("p", Width: 1536, Height: 864), reserved: 2);
        JobOutcomes.Cost(large, new GenerationResult([]), [], row).ShouldBe(new JobCost(2, 0.04m));
        JobOutcomes.Cost(large with { CreditsReserved = 1 }, new GenerationResult([]), [], row).Credits.ShouldBe(1);
    }

    [Fact]
    public void Text_costs_the_tokens_it_used_and_the_providers_own_cost_wins()
    {
        var row = Row(PriceUnit.Tokens1k, 1, 0.001m);
        var text = Job(GenerationType.Text, reserved: 2);
        JobOutcomes.Cost(text, new GenerationResult([], "hi", 400, 500), [], row).ShouldBe(new JobCost(1, 0.0009m));
        JobOutcomes.Cost(text, new GenerationResult([], "hi", 400, 500, CostUsd: 0.5m), [], row).CostUsd.ShouldBe(0.5m);
    }

    [Fact]
    public void Audio_costs_the_minutes_of_the_stored_file()
    {
        var row = Row(PriceUnit.Minute, 2, 0.1m);
        var audio = Job(GenerationType.Audio, new JobInput("say it", DurationSeconds: 600), reserved: 20);
        var file = new GenerationFile("k", "audio/wav", 10, "sha", null, null, 90);
        JobOutcomes.Cost(audio, new GenerationResult([]), [file], row).ShouldBe(new JobCost(3, 0.15m));
    }

    [Fact]
    public void Without_a_price_row_a_job_costs_what_was_reserved()
    {
        JobOutcomes.Cost(Job(reserved: 3), new GenerationResult([]), [], null).ShouldBe(new JobCost(3, 0.04m));
    }

    [Fact]
    public void Completion_keeps_the_result_in_the_gallery_and_clears_the_last_error()
    {
        var job = Job() with { ErrorCode = "rate_limited", ErrorMessage = "Slow down.", ProviderRequestId = "req-0",
            Input = new JobInput("p", Tags: ["brand"], ProjectId: Guid.CreateVersion7()) };
        var generationId = Guid.CreateVersion7();
        var (generation, completed) = JobOutcomes.Completed(job, new GenerationResult([], "text", 10, 20, ProviderRequestId: "req-1"),
            [], new JobCost(2, 0.04m), generationId, Now, TimeSpan.FromMilliseconds(1500));

        generation.Id.ShouldBe(generationId);
        (generation.JobId, generation.UserId, generation.CreditsUsed, generation.TokensUsed).ShouldBe((job.Id, job.UserId, 2, 30));
        generation.Tags.ShouldBe(["brand"]);
        generation.ProjectId.ShouldBe(job.Input.ProjectId);
        completed.Status.ShouldBe(JobStatus.Completed);
        (completed.Progress, completed.CreditsUsed, completed.GenerationId).ShouldBe((100, 2, generationId));
        (completed.ErrorCode, completed.ErrorMessage).ShouldBe((null, null));
        completed.ProviderRequestId.ShouldBe("req-1");
        completed.ProcessingTimeMs.ShouldBe(1500);
        completed.CompletedAt.ShouldBe(Now);
        completed.CreditReasonCode.ShouldBe(CreditReason.Completed);
    }

    [Fact]
    public void A_failed_job_shows_why_and_keeps_the_providers_request_id_it_had()
    {
        var job = Job() with { ProviderRequestId = "req-0" };
        var failed = JobOutcomes.Failed(job, new JobFailure("provider_timeout", "Timed out."), Now);
        failed.Status.ShouldBe(JobStatus.Failed);
        (failed.ErrorCode, failed.ErrorMessage, failed.ProviderRequestId, failed.CompletedAt).ShouldBe(("provider_timeout", "Timed out.", "req-0", (DateTimeOffset?)Now));
        JobOutcomes.Failed(job, new JobFailure("content_policy", "No.", "req-9"), Now).ProviderRequestId.ShouldBe("req-9");
        failed.CreditReasonCode.ShouldBe(CreditReason.ProviderTimeout);
    }

    [Theory]
    [InlineData("provider_timeout", null, CreditReason.ProviderTimeout)]
    [InlineData("content_policy", null, CreditReason.ContentPolicy)]
    [InlineData("generation_failed", null, CreditReason.ProviderError)]
    [InlineData("rate_limited", null, CreditReason.ProviderError)]
    [InlineData("provider_malformed_response", null, CreditReason.ProviderError)]
    [InlineData("reservation_expired", null, CreditReason.ReservationTimeout)]
    [InlineData("internal_error", null, CreditReason.InternalError)]
    [InlineData("provider_unavailable", null, CreditReason.ProviderError)] // it answered 5xx
    [InlineData("provider_not_configured", null, CreditReason.InternalError)] // no key or no provider on this server: ours
    [InlineData("attempts_exhausted", "provider_timeout", CreditReason.ProviderTimeout)] // by the last attempt's error
    [InlineData("attempts_exhausted", null, CreditReason.InternalError)] // attempts lost to crashes mid-call
    public void A_failure_is_classified_for_the_refund_that_returns_everything(string code, string? lastError, CreditReason reason) =>
        JobOutcomes.CreditReasonOf(new JobFailure(code, "message"), Job() with { ErrorCode = lastError }).ShouldBe(reason);
}
