using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetJob;

/// <summary>A job's state, progress, attempts, timing, error and cost.</summary>
public sealed class GetJobEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/jobs/{jobId:guid}");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetJob").WithSummary("A generation job").WithTags("Jobs").ProducesProblem(404));
    }

    public override async Task<Results<Ok<JobView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var outcome = await bus.InvokeForTenantAsync<Outcome<JobView>>(User.Required().Tenant, new GetJob(Route<Guid>("jobId")), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
