using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.GetJob;

/// <summary>GET /api/jobs/{id}: a job's state, progress, attempts, timing, error and cost.</summary>
public sealed class GetJobEndpoint(IQuerySession session, JobUpdates updates) : EndpointWithoutRequest<Results<Ok<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/jobs/{jobId:guid}");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetJob").WithSummary("A generation job").WithTags("Jobs").ProducesProblem(404));
    }

    public override async Task<Results<Ok<JobView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct) =>
        await session.LoadAsync<GenerationJob>(Route<Guid>("jobId"), ct) is { } job
            ? TypedResults.Ok(JobView.Of(job, updates.ProgressOf(job.Id)))
            : Problems.NotFound("The job");
}
