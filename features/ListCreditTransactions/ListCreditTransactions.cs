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

public sealed record CreditTransactionView(Guid Id, CreditTransactionType Type, int Amount, int BalanceAfter, int AvailableAfter,
    string? Reference, string Description, DateTimeOffset CreatedAt);

public sealed record CreditTransactionsPage(IReadOnlyList<CreditTransactionView> Items, Guid? NextCursor);
