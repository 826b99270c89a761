using BaseAgency.Billing;
using BaseAgency.Http;
using FastEndpoints;

namespace BaseAgency.Features.ListAdminPurchases;

public sealed class ListAdminPurchasesRequest
{
    /// <summary>
    /// Only purchases in this state, as the API writes it (pending, paid, failed, expired, needs_review, refunded);
    /// <c>needs_review</c>: paid, but not the price, waiting for an operator. A string: the binder reads enums only in PascalCase.
    /// </summary>
    [QueryParam] public string? Status { get; init; }

    public static readonly IReadOnlyDictionary<string, PurchaseStatus> Statuses =
        Enum.GetValues<PurchaseStatus>().ToDictionary(Json.NameOf, s => s);
    [QueryParam] public Guid? OrganizationId { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 50;
}

public sealed record ListAdminPurchases(PurchaseStatus? Status, Guid? OrganizationId, Guid? Cursor, int Limit);

public sealed record AdminPurchasesPage(IReadOnlyList<PurchaseView> Items, Guid? NextCursor);
