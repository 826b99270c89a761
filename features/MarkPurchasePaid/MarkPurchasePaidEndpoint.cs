using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.MarkPurchasePaid;

/// <summary>
/// With the manual payment provider, an operator
/// confirms the money arrived. Marking twice grants once. Audited.
/// </summary>
public sealed class MarkPurchasePaidEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<PurchaseView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/admin/purchases/{purchaseId:guid}/mark-paid");
        Policies(Identity.Policies.SuperAdmin);
        Options(b => b.Idempotent());
        Description(d => d.WithName("MarkPurchasePaid").WithSummary("Confirm a manual payment (operators)").WithTags("Admin")
            .ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<PurchaseView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        // Not for the operator's own organization: the handler finds the purchase in whichever it belongs to.
        var outcome = await bus.InvokeAsync<Outcome<PurchaseView>>(new MarkPurchasePaid(Route<Guid>("purchaseId"), User.Required().UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
