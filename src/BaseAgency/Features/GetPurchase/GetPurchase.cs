using BaseAgency.Billing;
using BaseAgency.Http;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.GetPurchase;

/// <summary>GET /api/credits/purchases/{id}: a purchase of the caller's organization and its state.</summary>
public sealed class GetPurchaseEndpoint(IQuerySession session) : EndpointWithoutRequest<Results<Ok<PurchaseView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/credits/purchases/{purchaseId:guid}");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetPurchase").WithSummary("A purchase and its state").WithTags("Credits").ProducesProblem(404));
    }

    public override async Task<Results<Ok<PurchaseView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct) =>
        await session.LoadAsync<Purchase>(Route<Guid>("purchaseId"), ct) is { } purchase
            ? TypedResults.Ok(PurchaseView.Of(purchase))
            : Problems.NotFound("The purchase");
}
