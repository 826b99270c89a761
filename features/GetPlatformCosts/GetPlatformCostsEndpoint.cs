using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetPlatformCosts;

/// <summary>The platform's cost and margin by provider and month, across organizations (operators).</summary>
public sealed class GetPlatformCostsEndpoint(IMessageBus bus) : Endpoint<GetPlatformCostsRequest, Results<Ok<PlatformCosts>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/admin/usage/costs");
        Policies(Identity.Policies.SuperAdmin);
        Description(d => d.WithName("GetPlatformCosts").WithSummary("Cost and margin by provider and month, all organizations (operators)")
            .WithTags("Admin").ProducesProblem(400));
    }

    public override async Task<Results<Ok<PlatformCosts>, ProblemHttpResult>> ExecuteAsync(GetPlatformCostsRequest req, CancellationToken ct)
    {
        // Not in the operator's own organization: the handler reads across all of them.
        var outcome = await bus.InvokeAsync<Outcome<PlatformCosts>>(new GetPlatformCosts(req.From, req.To), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
