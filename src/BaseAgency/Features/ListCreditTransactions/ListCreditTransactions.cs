using BaseAgency.Ledger;
using FastEndpoints;
using FluentValidation;
using Marten;
using Marten.Linq.MatchesSql;

namespace BaseAgency.Features.ListCreditTransactions;

public sealed class ListCreditTransactionsRequest
{
    [QueryParam] public CreditTransactionType? Type { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 50;
}

public sealed record CreditTransactionView(Guid Id, CreditTransactionType Type, int Amount, int BalanceAfter, int AvailableAfter,
    string? Reference, string Description, DateTimeOffset CreatedAt);

public sealed record CreditTransactionsPage(IReadOnlyList<CreditTransactionView> Items, Guid? NextCursor);

public sealed class ListCreditTransactionsValidator : Validator<ListCreditTransactionsRequest>
{
    public ListCreditTransactionsValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 200);
        RuleFor(x => x.Type).IsInEnum();
    }
}

/// <summary>GET /api/credits/transactions: the statement, newest first, a page at a time.</summary>
public sealed class ListCreditTransactionsEndpoint(IQuerySession session) : Endpoint<ListCreditTransactionsRequest, CreditTransactionsPage>
{
    public override void Configure()
    {
        Get("/credits/transactions");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListCreditTransactions").WithSummary("Credit statement, newest first (cursor pagination)").WithTags("Credits"));
    }

    public override async Task HandleAsync(ListCreditTransactionsRequest req, CancellationToken ct)
    {
        var query = session.Query<CreditTransaction>().AsQueryable();
        if (req.Type is { } type) query = query.Where(t => t.Type == type);
        // Ids are time-ordered, so the cursor is simply the last id seen.
        if (req.Cursor is { } cursor) query = query.Where(t => t.MatchesSql("d.id < ?", cursor));

        var rows = await query.OrderByDescending(t => t.Id).Take(req.Limit + 1).ToListAsync(ct);
        var page = rows.Take(req.Limit)
            .Select(t => new CreditTransactionView(t.Id, t.Type, t.Amount, t.BalanceAfter, t.AvailableAfter, t.Reference, t.Description, t.CreatedAt))
            .ToList();
        await Send.OkAsync(new CreditTransactionsPage(page, rows.Count > req.Limit ? page[^1].Id : null), ct);
    }
}
