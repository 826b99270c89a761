using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.CancelJob;

/// <summary>The canceled job; 409 when it had already finished.</summary>
public sealed class CancelJobEndpoint(IMessageBus bus, JobUpdates updates) : EndpointWithoutRequest<Results<Ok<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/jobs/{jobId:guid}/cancel");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("CancelJob").WithSummary("Cancel a generation job").WithTags("Jobs").ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<JobView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var jobId = Route<Guid>("jobId");
        var outcome = await bus.InvokeForTenantAsync<Outcome<JobView>>(caller.Tenant, new CancelJob(caller.OrganizationId, jobId), ct);
        if (outcome.Problem is { } problem) return problem;

        // Only once the cancel is committed: a worker on this node that sees its wait stopped must find the job canceled.
        updates.Cancel(jobId);
        updates.Finished(jobId);
        return TypedResults.Ok(outcome.Value);
    }
}
