using BaseAgency.Billing;
using FastEndpoints;

namespace BaseAgency.Features.ListInvoices;

public sealed class ListInvoicesRequest
{
    [QueryParam] public InvoiceStatus? Status { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 50;
}

public sealed record ListInvoices(Guid OrganizationId, InvoiceStatus? Status, Guid? Cursor, int Limit);

public sealed record InvoicesPage(IReadOnlyList<InvoiceView> Items, Guid? NextCursor);
