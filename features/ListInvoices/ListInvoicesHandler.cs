using BaseAgency.Billing;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.ListInvoices;

public static class ListInvoicesHandler
{
    public static async Task<Outcome<InvoicesPage>> Handle(ListInvoices query, IQuerySession session, CancellationToken ct)
    {
        var invoices = session.Query<Invoice>().AsQueryable();
        if (query.Status is { } status) invoices = invoices.Where(i => i.Status == status);
        var page = await invoices.NewestFirstAsync(query.Cursor, query.Limit, i => i.Id, InvoiceView.Of, ct);
        return new InvoicesPage(page.Items, page.NextCursor);
    }
}
