using BaseAgency.Http;
using BaseAgency.Organizations;
using Wolverine;

namespace BaseAgency.Billing;

/// <summary>
/// The one way a purchase settles: the Stripe webhook, an operator's mark-paid, the expiry and Development's
/// auto-complete all send this, for the purchase's organization. Handled exactly once per change of state.
/// </summary>
/// <param name="By">Who reported the outcome ("stripe:{event}", "operator:{id}", "expiry", "auto-complete"), kept on the purchase.</param>
/// <param name="OperatorId">Set when a platform operator reported it: the settlement is then audited.</param>
/// <param name="Received">What the payment provider says was paid, kept on the purchase (and named by a later refund).</param>
public sealed record SettlePurchase(Guid OrganizationId, Guid PurchaseId, PaymentOutcome Outcome, string By, Guid? OperatorId = null,
    ReceivedPayment? Received = null)
{
    public static SettlePurchase PaidByOperator(Purchase purchase, Guid operatorId) =>
        new(purchase.OrganizationId, purchase.Id, PaymentOutcome.Paid, $"operator:{operatorId}", operatorId);
}

/// <summary>Durable timeout: a purchase still unpaid at its expiry is marked expired.</summary>
public sealed record ExpirePurchase(Guid OrganizationId, Guid PurchaseId);

public static class Settlements
{
    /// <summary>
    /// Runs a settlement a handler asked for at once (Development's auto-completed manual purchases). It runs
    /// after that handler's transaction committed the purchase, and inline rather than through the outbox,
    /// so the answer already shows the purchase paid. Null when there was nothing to settle.
    /// </summary>
    public static async Task<Purchase?> SettleNowAsync(this IMessageBus bus, SettlePurchase? settle, CancellationToken ct) =>
        settle is null ? null
            : (await bus.InvokeForTenantAsync<Outcome<Purchase>>(Tenancy.TenantOf(settle.OrganizationId), settle, ct)).Value;
}
