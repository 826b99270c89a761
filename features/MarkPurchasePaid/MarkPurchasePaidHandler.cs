using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.MarkPurchasePaid;

public static class MarkPurchasePaidHandler
{
    public static async Task<Outcome<PurchaseView>> Handle(MarkPurchasePaid command, IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        var found = await session.FindPurchaseAnywhereAsync(command.PurchaseId, ct);
        if (found is null) return Problems.NotFound("The purchase");
        if (Refusal(found) is { } refusal) return refusal;

        // Inline, in the purchase's organization, rather than through the outbox: the operator's answer is the settled purchase.
        var settled = await bus.InvokeForTenantAsync<Outcome<Purchase>>(Tenancy.TenantOf(found.OrganizationId),
            Billing.SettlePurchase.PaidByOperator(found, command.OperatorId), ct);
        return settled.Problem is { } problem ? problem : PurchaseView.Of(settled.Value!);
    }

    /// <summary>
    /// An operator confirms money the service cannot see arrive (manual payments), or accepts money that arrived but
    /// did not match the price (needs review). Anything else the payment provider reports itself; refunded money is gone.
    /// Marking a paid purchase again is answered with it as it is, so a replayed or concurrent mark-paid is harmless.
    /// </summary>
    public static ProblemHttpResult? Refusal(Purchase purchase) => purchase switch
    {
        { Status: PurchaseStatus.Refunded } => Problems.Conflict("purchase_refunded", "The purchase was refunded; it cannot be paid.",
            $"Refunded by {purchase.CompletedBy}."),
        { Status: PurchaseStatus.NeedsReview or PurchaseStatus.Paid } or { Provider: ManualPayments.Id } => null,
        _ => Problems.Conflict("not_manual", "Only purchases paid by hand, or waiting for review, can be marked paid.",
            $"This purchase is paid through '{purchase.Provider}', which reports payment itself."),
    };
}
