using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListPlans;

/// <summary>The public price list (prices in cents).</summary>
public sealed class ListPlansEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<PlansResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/plans");
        AllowAnonymous();
        Description(d => d.WithName("ListPlans").WithSummary("Plans with prices, monthly credits, limits and features").WithTags("Billing"));
    }

    public override async Task<Results<Ok<PlansResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var outcome = await bus.InvokeAsync<Outcome<PlansResponse>>(new ListPlans(), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
