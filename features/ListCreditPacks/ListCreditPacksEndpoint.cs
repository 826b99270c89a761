using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListCreditPacks;

/// <summary>The credit packs on sale, from configuration.</summary>
public sealed class ListCreditPacksEndpoint(IMessageBus bus)
    : EndpointWithoutRequest<Results<Ok<IReadOnlyList<CreditPackView>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/credits/packs");
        AllowAnonymous();
        Description(d => d.WithName("ListCreditPacks").WithSummary("Credit packs on sale").WithTags("Credits"));
    }

    public override async Task<Results<Ok<IReadOnlyList<CreditPackView>>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var outcome = await bus.InvokeAsync<Outcome<IReadOnlyList<CreditPackView>>>(new ListCreditPacks(), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
