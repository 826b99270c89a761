using BaseAgency.Http;
using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Features.VerifyLedger;

public static class VerifyLedgerHandler
{
    public static async Task<Outcome<LedgerVerification>> Handle(VerifyLedger query, IQuerySession session, CancellationToken ct)
    {
        var stored = await session.LoadAsync<CreditAccount>(query.OrganizationId, ct);
        var replayed = await session.Events.AggregateStreamAsync<CreditAccount>(query.OrganizationId, token: ct);
        var statement = await session.Query<CreditTransaction>().SumAsync(t => t.Amount, ct);
        var held = await session.Query<CreditTransaction>().SumAsync(t => t.Held, ct);
        var state = await session.Events.FetchStreamStateAsync(query.OrganizationId, ct);

        var differences = LedgerCheck.Differences(stored, replayed, statement, held);
        return new LedgerVerification(differences.Count == 0, differences, state?.Version ?? 0, replayed?.Balance ?? 0);
    }
}
