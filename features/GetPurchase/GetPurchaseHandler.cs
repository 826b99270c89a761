using BaseAgency.Billing;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.GetPurchase;

public static class GetPurchaseHandler
{
    public static async Task<Outcome<PurchaseView>> Handle(GetPurchase query, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Purchase>(query.PurchaseId, ct) is { } purchase
            ? PurchaseView.Of(purchase)
            : Problems.NotFound("The purchase");
}
