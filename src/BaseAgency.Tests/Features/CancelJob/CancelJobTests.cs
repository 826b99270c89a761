using BaseAgency.Features.CancelJob;
using BaseAgency.Generations;
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
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Processing)]
    public void A_job_that_has_not_finished_is_canceled_now_without_its_last_error(JobStatus status)
    {
        var job = Job(status);
        var canceled = CancelJobHandler.Cancel(job, Now).Value!;
        canceled.ShouldBe(job with { Status = JobStatus.Canceled, CompletedAt = Now, ErrorCode = null, ErrorMessage = null });
        canceled.Version.ShouldBe(3); // stored as the next revision by the handler
    }

    [Theory]
    [InlineData(JobStatus.Completed, "completed")]
    [InlineData(JobStatus.Failed, "failed")]
    [InlineData(JobStatus.Canceled, "canceled")]
    public void A_finished_job_is_a_conflict(JobStatus status, string named)
    {
        var problem = CancelJobHandler.Cancel(Job(status), Now).Problem!;
        problem.StatusCode.ShouldBe(409);
        problem.ProblemDetails.Extensions["code"].ShouldBe("job_finished");
        problem.ProblemDetails.Title.ShouldBe($"The job is already {named}.");
    }

    [Fact]
    public void An_unknown_job_is_not_found()
    {
        var problem = CancelJobHandler.Cancel(null, Now).Problem!;
        problem.StatusCode.ShouldBe(404);
        problem.ProblemDetails.Extensions["code"].ShouldBe("not_found");
    }
}
