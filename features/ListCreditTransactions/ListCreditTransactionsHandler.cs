using BaseAgency.Http;
using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Features.ListCreditTransactions;

public static class ListCreditTransactionsHandler
{
    public static async Task<Outcome<CreditTransactionsPage>> Handle(ListCreditTransactions query, IQuerySession session, CancellationToken ct)
    {
        var lines = session.Query<CreditTransaction>().AsQueryable();
        if (query.Type is { } type) lines = lines.Where(t => t.Type == type);
        var page = await lines.NewestFirstAsync(query.Cursor, query.Limit, t => t.Id,
            t => new CreditTransactionView(t.Id, t.Type, t.Amount, t.BalanceAfter, t.AvailableAfter, t.Reference, t.Description, t.CreatedAt,
                t.Held, t.ReasonCode, t.Buckets ?? [], IsJobs(t) ? t.ActorId : null, t.ApiKeyId), ct);
        return new CreditTransactionsPage(page.Items, page.NextCursor);
    }

    /// <summary>A job's hold and how it closed name the member whose job it was; an operator's adjustment does not name the operator.</summary>
    private static bool IsJobs(CreditTransaction line) =>
        line.Type is CreditTransactionType.Hold or CreditTransactionType.Usage or CreditTransactionType.Release;
}
