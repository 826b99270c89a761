using BaseAgency.Billing;
using BaseAgency.Http;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.ListCreditPacks;

public static class ListCreditPacksHandler
{
    public static Outcome<IReadOnlyList<CreditPackView>> Handle(ListCreditPacks query, IOptions<BillingOptions> billing) =>
        billing.Value.PacksOnSale.Select(p => new CreditPackView(p.Id, p.Name, p.Credits, p.PriceCents / 100m, p.Currency)).ToList();
}
