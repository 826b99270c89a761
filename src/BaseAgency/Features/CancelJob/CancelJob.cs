using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.CancelJob;

/// <summary>
/// POST /api/jobs/{id}/cancel (member): stops a job that has not finished and gives its credits and quota
/// back at once. The ledger lock orders it with a worker finishing at the same moment: whichever commits
/// first wins, and the other sees a finished job. A finished job is 409.
/// </summary>
public sealed class CancelJobEndpoint(IDocumentSession session, CreditLedger ledger, JobUpdates updates, TimeProvider clock)
    : EndpointWithoutRequest<Results<Ok<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/jobs/{jobId:guid}/cancel");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("CancelJob").WithSummary("Cancel a generation job").WithTags("Jobs").ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<JobView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var organizationId = User.Required().OrganizationId;
        var jobId = Route<Guid>("jobId");
        if (await session.LoadAsync<GenerationJob>(jobId, ct) is not { } seen) return Problems.NotFound("The job");
        if (seen.IsFinished) return Finished(seen);

        await ledger.ReleaseAsync(session, organizationId, seen.ReservationId, "canceled", ct); // takes the ledger lock
        var job = (await session.LoadAsync<GenerationJob>(jobId, ct))!;
        if (job.IsFinished) return Finished(job);

        await QuotaUsage.ReturnAsync(session, job, ct);
        var canceled = job with { Status = JobStatus.Canceled, CompletedAt = clock.GetUtcNow(), ErrorCode = null, ErrorMessage = null };
        session.UpdateRevision(canceled, job.Version + 1);
        await session.SaveChangesAsync(ct);

        updates.Cancel(jobId); // stops this node's worker waiting on the provider
        updates.Changed(jobId, finished: true);
        return TypedResults.Ok(JobView.Of(canceled with { Version = job.Version + 1 }));
    }

    private static ProblemHttpResult Finished(GenerationJob job) =>
        Problems.Conflict("job_finished", $"The job is already {Json.EnumNaming.ConvertName(job.Status.ToString())}.");
}
