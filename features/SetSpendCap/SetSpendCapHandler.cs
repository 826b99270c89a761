using BaseAgency.Http;
using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Features.SetSpendCap;

public static class SetSpendCapHandler
{
    public static async Task<Outcome<SpendCapView>> Handle(SetSpendCap command, IDocumentSession session, CreditLedger ledger, TimeProvider clock,
        CancellationToken ct)
    {
        SpendCap? cap = command.MonthlyCredits is { } credits ? new SpendCap(command.OrganizationId, credits, command.UserId, clock.GetUtcNow()) : null;
        if (cap is null) session.Delete<SpendCap>(command.OrganizationId);
        else session.Store(cap);
        return SpendCapView.Of(cap, await ledger.ReadAsync(session, command.OrganizationId, ct));
    }
}
