using BaseAgency.Platform;
using BaseAgency.Http;
using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Features.SetSpendCap;

public static class SetSpendCapHandler
{
    public static async Task<Outcome<SpendCapView>> Handle(SetSpendCap command, IDocumentSession session, CreditLedger ledger, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var before = await session.LoadAsync<SpendCap>(command.OrganizationId, ct);
        SpendCap? cap = command.MonthlyCredits is { } credits ? new SpendCap(command.OrganizationId, credits, command.UserId, now) : null;
        session.Insert(AuditEntry.Changed(command.UserId, command.OrganizationId, "spend_cap.set", "spend_cap", command.OrganizationId.ToString(), now,
            ("monthlyCredits", before?.MonthlyCredits.ToString(), cap?.MonthlyCredits.ToString())));
        if (cap is null) session.Delete<SpendCap>(command.OrganizationId);
        else session.Store(cap);
        return SpendCapView.Of(cap, await ledger.ReadAsync(session, command.OrganizationId, ct));
    }
}
