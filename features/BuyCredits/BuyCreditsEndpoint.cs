using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.BuyCredits;

/// <summary>
/// Starts buying a credit pack. Answers 201 with the purchase and
/// the page where it is paid; the credits arrive when the payment provider confirms (exactly once).
/// </summary>
public sealed class BuyCreditsEndpoint(IMessageBus bus) : Endpoint<BuyCreditsRequest, Results<Created<PurchaseView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/credits/purchases");
        Policies(Identity.Policies.Admin);
        Options(b => b.Idempotent().RequiresScope(ApiKeyScope.Billing));
        Description(d => d.WithName("BuyCredits").WithSummary("Buy a credit pack").WithTags("Credits")
            .ProducesProblem(400).ProducesProblem(422).ProducesProblem(503));
    }

    public override async Task<Results<Created<PurchaseView>, ProblemHttpResult>> ExecuteAsync(BuyCreditsRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<OpenedPurchase>>(caller.Tenant,
            new BuyCredits(caller.OrganizationId, caller.UserId, req.PackId), ct);
        if (outcome.Problem is { } problem) return problem;

        var purchase = await bus.SettleNowAsync(outcome.Value!.SettleNow, ct) ?? outcome.Value.Purchase;
        return TypedResults.Created($"/api/credits/purchases/{purchase.Id}", PurchaseView.Of(purchase));
    }
}
