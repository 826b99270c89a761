using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetPurchase;

/// <summary>A purchase of the caller's organization and its state.</summary>
public sealed class GetPurchaseEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<PurchaseView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/credits/purchases/{purchaseId:guid}");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetPurchase").WithSummary("A purchase and its state").WithTags("Credits").ProducesProblem(404));
    }

    public override async Task<Results<Ok<PurchaseView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var outcome = await bus.InvokeForTenantAsync<Outcome<PurchaseView>>(User.Required().Tenant, new GetPurchase(Route<Guid>("purchaseId")), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
