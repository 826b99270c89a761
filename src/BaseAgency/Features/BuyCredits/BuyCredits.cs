using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace BaseAgency.Features.BuyCredits;

public sealed record BuyCreditsRequest(string PackId);

public sealed class BuyCreditsValidator : Validator<BuyCreditsRequest>
{
    public BuyCreditsValidator() => RuleFor(x => x.PackId).NotEmpty().MaximumLength(100);
}

/// <summary>
/// POST /api/credits/purchases (admin): starts buying a credit pack. Answers 201 with the purchase and
/// the page where it is paid; the credits arrive when the payment provider confirms (exactly once).
/// </summary>
public sealed class BuyCreditsEndpoint(IDocumentSession session, IWolverineRuntime wolverine, Purchases purchases, IOptions<BillingOptions> billing)
    : Endpoint<BuyCreditsRequest, Results<Created<PurchaseView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/credits/purchases");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("BuyCredits").WithSummary("Buy a credit pack").WithTags("Credits")
            .ProducesProblem(400).ProducesProblem(422).ProducesProblem(503));
    }

    public override async Task<Results<Created<PurchaseView>, ProblemHttpResult>> ExecuteAsync(BuyCreditsRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var pack = billing.Value.PacksOnSale.FirstOrDefault(p => p.Id == req.PackId.Trim());
        if (pack is null)
            return Problems.Of(422, "unknown_pack", "There is no credit pack with that id.", "GET /api/credits/packs lists the packs on sale.",
                ("packId", req.PackId));

        var purchase = purchases.New(caller.OrganizationId, caller.UserId, PurchaseKind.Credits, pack.Id, pack.Name, pack.Credits,
            pack.PriceCents, pack.Currency);
        try
        {
            purchase = await purchases.OpenAsync(session, new MartenOutbox(wolverine, session), purchase, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            Logger.LogWarning(unavailable.InnerException, "Checkout for purchase {PurchaseId} could not be opened", purchase.Id);
            return unavailable.ToProblem();
        }
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/credits/purchases/{purchase.Id}", PurchaseView.Of(purchase));
    }
}
