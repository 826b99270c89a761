using BaseAgency.Ledger;
using FastEndpoints;
using BaseAgency.Identity;
using Marten;

namespace BaseAgency.Features.VerifyLedger;

public sealed record LedgerVerification(bool Consistent, IReadOnlyList<string> Differences, long Events, int Balance);

/// <summary>GET /api/credits/ledger/verify (admin): replays the events and compares with the stored views.</summary>
public sealed class VerifyLedgerEndpoint(IQuerySession session) : EndpointWithoutRequest<LedgerVerification>
{
    public override void Configure()
    {
        Get("/credits/ledger/verify");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("VerifyLedger").WithSummary("Replay the credit ledger and compare with the stored balance").WithTags("Credits"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var organizationId = User.Required().OrganizationId;
        var stored = await session.LoadAsync<CreditAccount>(organizationId, ct);
        var replayed = await session.Events.AggregateStreamAsync<CreditAccount>(organizationId, token: ct);
        var statement = await session.Query<CreditTransaction>().SumAsync(t => t.Amount, ct);
        var state = await session.Events.FetchStreamStateAsync(organizationId, ct);

        var differences = LedgerCheck.Differences(stored, replayed, statement);
        await Send.OkAsync(new LedgerVerification(differences.Count == 0, differences, state?.Version ?? 0, replayed?.Balance ?? 0), ct);
    }
}
