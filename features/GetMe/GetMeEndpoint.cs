using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetMe;

/// <summary>Who I am, where I belong, what I may do and on which plan.</summary>
public sealed class GetMeEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<MeResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/me");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetMe").WithSummary("The signed-in member, organization, role and plan").WithTags("Identity"));
    }

    public override async Task<Results<Ok<MeResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<MeResponse>>(caller.Tenant,
            new GetMe(caller.UserId, caller.OrganizationId, caller.Role), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
