using BaseAgency.Billing;
using FastEndpoints;

namespace BaseAgency.Features.ListAdminPurchases;

public sealed class ListAdminPurchasesRequest
{
    /// <summary>Only purchases in this state, e.g. <c>needs_review</c>: paid, but not the price, waiting for an operator.</summary>
    [QueryParam] public PurchaseStatus? Status { get; init; }
    [QueryParam] public Guid? OrganizationId { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 50;
}

public sealed record ListAdminPurchases(PurchaseStatus? Status, Guid? OrganizationId, Guid? Cursor, int Limit);

public sealed record AdminPurchasesPage(IReadOnlyList<PurchaseView> Items, Guid? NextCursor);
