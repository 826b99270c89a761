using BaseAgency.Features.CancelJob;
using BaseAgency.Generations;
using BaseAgency.Ledger;
using BaseAgency.Providers;

namespace BaseAgency.Tests.Features.CancelJob;

/// <summary>The cancel decision as a function; the cancel itself runs in GenerationPipelineTests and ProviderPipelineTests.</summary>
public sealed class CancelJobTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static GenerationJob Job(JobStatus status) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), GenerationType.Image, "local", "local-image", new JobInput("x"), status, false, 1,
            Guid.NewGuid(), Now.AddMinutes(-1), ErrorCode: "provider_timeout", ErrorMessage: "still trying") { Version = 3 };

    [Theory]
    [InlineData(JobStatus.Pending)]
    [InlineData(JobStatus.Queued)] // also a job waiting for its retry: the provider is not working on it now
    public void A_job_the_provider_has_not_started_is_canceled_now_for_nothing(JobStatus status)
    {
        var job = Job(status);
        var canceled = CancelJobHandler.Cancel(job, 0.5m, Now).Value!;
        canceled.ShouldBe(job with
        {
            Status = JobStatus.Canceled, CompletedAt = Now, ErrorCode = null, ErrorMessage = null, CreditReasonCode = CreditReason.CanceledBeforeStart,
        });
        canceled.Version.ShouldBe(3); // stored as the next revision by the handler
    }

    [Theory]
    [InlineData(0.5, 9, 4)] // 4.5 rounds down, in the customer's favour
    [InlineData(0.5, 1, 0)]
    [InlineData(0.0, 9, 0)]
    [InlineData(1.0, 9, 9)]
    [InlineData(0.333, 10, 3)]
    public void A_job_the_provider_is_working_on_is_charged_the_configured_share(double share, int reserved, int charged)
    {
        var job = Job(JobStatus.Processing) with { CreditsReserved = reserved };
        var canceled = CancelJobHandler.Cancel(job, (decimal)share, Now).Value!;
        canceled.Status.ShouldBe(JobStatus.Canceled);
        canceled.CreditsUsed.ShouldBe(charged);
        canceled.CreditReasonCode.ShouldBe(CreditReason.CanceledAfterStart);
    }

    [Theory]
    [InlineData(JobStatus.Completed, "completed")]
    [InlineData(JobStatus.Failed, "failed")]
    [InlineData(JobStatus.Canceled, "canceled")]
    public void A_finished_job_is_a_conflict(JobStatus status, string named)
    {
        var problem = CancelJobHandler.Cancel(Job(status), 0.5m, Now).Problem!;
        problem.StatusCode.ShouldBe(409);
        problem.ProblemDetails.Extensions["code"].ShouldBe("job_finished");
        problem.ProblemDetails.Title.ShouldBe($"The job is already {named}.");
    }

    [Fact]
    public void An_unknown_job_is_not_found()
    {
        var problem = CancelJobHandler.Cancel(null, 0.5m, Now).Problem!;
        problem.StatusCode.ShouldBe(404);
        problem.ProblemDetails.Extensions["code"].ShouldBe("not_found");
    }
}
