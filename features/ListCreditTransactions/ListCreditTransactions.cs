using BaseAgency.Ledger;
using FastEndpoints;

namespace BaseAgency.Features.ListCreditTransactions;

public sealed class ListCreditTransactionsRequest
{
    [QueryParam] public CreditTransactionType? Type { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 50;
}

public sealed record ListCreditTransactions(Guid OrganizationId, CreditTransactionType? Type, Guid? Cursor, int Limit);

/// <summary>
/// One statement line. <c>amount</c> changes the balance, <c>held</c> the reserved credits: a job shows as a hold and then
/// its release or capture, with the <c>reasonCode</c> that decided it; <c>buckets</c> says which kinds of credit moved.
/// <c>userId</c> (and <c>apiKeyId</c>) name the member whose job it was, or the operator who adjusted.
/// </summary>
public sealed record CreditTransactionView(Guid Id, CreditTransactionType Type, int Amount, int BalanceAfter, int AvailableAfter,
    string? Reference, string Description, DateTimeOffset CreatedAt, int Held, CreditReason? ReasonCode, IReadOnlyList<KindAmount> Buckets,
    Guid? UserId = null, Guid? ApiKeyId = null);

public sealed record CreditTransactionsPage(IReadOnlyList<CreditTransactionView> Items, Guid? NextCursor);
