using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetAutoTopUp;

/// <summary>The auto top-up's settings and its last attempt (when, the result, why it failed).</summary>
public sealed class GetAutoTopUpEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<AutoTopUpView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/credits/auto-top-up");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetAutoTopUp").WithSummary("The auto top-up and its last attempt").WithTags("Credits"));
    }

    public override async Task<Results<Ok<AutoTopUpView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<AutoTopUpView>>(caller.Tenant, new GetAutoTopUp(caller.OrganizationId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
