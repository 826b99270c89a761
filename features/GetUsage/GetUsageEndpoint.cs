using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetUsage;

/// <summary>The organization's plan limits this period against what it used, and its credits.</summary>
public sealed class GetUsageEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<UsageSummary>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/usage/summary");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetUsage").WithSummary("This period's plan limits against use, and credits").WithTags("Usage"));
    }

    public override async Task<Results<Ok<UsageSummary>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<UsageSummary>>(caller.Tenant, new GetUsage(caller.OrganizationId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
