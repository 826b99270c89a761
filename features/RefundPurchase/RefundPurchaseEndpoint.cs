using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.RefundPurchase;

/// <summary>
/// Gives a purchase's money back through its payment provider (manual: recorded as given back by hand). A purchase
/// waiting for review had no credits; a paid one's credits are taken back, if they are all still available. Audited.
/// </summary>
public sealed class RefundPurchaseEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<PurchaseView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/admin/purchases/{purchaseId:guid}/refund");
        Policies(Identity.Policies.SuperAdmin);
        Options(b => b.Idempotent());
        Description(d => d.WithName("RefundPurchase").WithSummary("Refund a purchase (operators)").WithTags("Admin")
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(503));
    }

    public override async Task<Results<Ok<PurchaseView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        // Not for the operator's own organization: the handler finds the purchase in whichever it belongs to.
        var outcome = await bus.InvokeAsync<Outcome<PurchaseView>>(new RefundPurchase(Route<Guid>("purchaseId"), User.Required().UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
