using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.CancelJob;

/// <summary>The canceled job; 409 when it had already finished.</summary>
public sealed class CancelJobEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<JobView>, ProblemHttpResult>>
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
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
