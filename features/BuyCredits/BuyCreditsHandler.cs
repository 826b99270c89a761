using BaseAgency.Billing;
using BaseAgency.Http;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.BuyCredits;

public static class BuyCreditsHandler
{
    public static async Task<Outcome<OpenedPurchase>> Handle(BuyCredits command, IDocumentSession session, IMessageContext bus,
        PurchaseCheckout checkout, IOptions<BillingOptions> billing, CancellationToken ct)
    {
        if (billing.Value.PackOnSale(command.PackId) is not { } pack)
            return CreditPack.NotOnSale(command.PackId);

        var purchase = checkout.New(command.OrganizationId, command.UserId, PurchaseKind.Credits, pack.Id, pack.Name, pack.Credits,
            pack.PriceCents, pack.Currency);
        return await checkout.OpenAsync(session, bus, purchase, ct);
    }
}
