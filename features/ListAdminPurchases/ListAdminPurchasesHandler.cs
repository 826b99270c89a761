using BaseAgency.Billing;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.ListAdminPurchases;

public static class ListAdminPurchasesHandler
{
    public static async Task<Outcome<AdminPurchasesPage>> Handle(ListAdminPurchases query, IQuerySession session, CancellationToken ct)
    {
        var purchases = session.Query<Purchase>().Where(p => p.AnyTenant());
        if (query.Status is { } status) purchases = purchases.Where(p => p.Status == status);
        if (query.OrganizationId is { } organization) purchases = purchases.Where(p => p.OrganizationId == organization);
        var page = await purchases.NewestFirstAsync(query.Cursor, query.Limit, p => p.Id, PurchaseView.Of, ct);
        return new AdminPurchasesPage(page.Items, page.NextCursor);
    }
}
