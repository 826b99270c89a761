using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using Marten;
using Wolverine;

namespace BaseAgency.Features.MarkPurchasePaid;

public static class MarkPurchasePaidHandler
{
    public static async Task<Outcome<PurchaseView>> Handle(MarkPurchasePaid command, IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        var found = await session.FindPurchaseAnywhereAsync(command.PurchaseId, ct);
        if (found is null) return Problems.NotFound("The purchase");
        if (found.Provider != ManualPayments.Id)
            return Problems.Conflict("not_manual", "Only purchases paid by hand can be marked paid.",
                $"This purchase is paid through '{found.Provider}', which reports payment itself.");

        // Inline, in the purchase's organization, rather than through the outbox: the operator's answer is the settled purchase.
        var settled = await bus.InvokeForTenantAsync<Outcome<Purchase>>(Tenancy.TenantOf(found.OrganizationId),
            Billing.SettlePurchase.PaidByOperator(found, command.OperatorId), ct);
        return settled.Problem is { } problem ? problem : PurchaseView.Of(settled.Value!);
    }
}
