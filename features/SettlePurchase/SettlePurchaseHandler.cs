using BaseAgency.Billing;
using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Platform;
using JasperFx;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace BaseAgency.Features.SettlePurchase;

/// <summary>
/// Applies the payment provider's (or an operator's, or the expiry's) word to a purchase. Idempotent: the
/// ledger grants a purchase's credits once, keyed by the purchase id, however often payment is reported,
/// and a report that changes nothing (<see cref="Purchase.After"/>) stages nothing.
/// </summary>
public static class SettlePurchaseHandler
{
    /// <summary>
    /// Another report of this payment settled the purchase a moment ago (its version moved): settle again, and
    /// the purchase is found settled, so nothing is granted, stored or audited twice.
    /// </summary>
    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(3);

    public static async Task<Outcome<Purchase>> Handle(Billing.SettlePurchase command, IDocumentSession session, CreditLedger ledger,
        IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Purchase>(command.PurchaseId, ct) is not { } purchase) return Problems.NotFound("The purchase");
        var now = clock.GetUtcNow();
        if (purchase.After(command.Outcome, command.By, now, command.Received) is not { } settled) return purchase;

        if (settled.Status == PurchaseStatus.Paid &&
            await ledger.PurchaseAsync(session, purchase.OrganizationId, purchase.Id, purchase.Item, purchase.Credits, ct) is { } rejection)
            throw new InvalidOperationException($"The ledger refused paid purchase {purchase.Id}: {rejection.Message}");
        session.Store(settled);
        if (settled.Status == PurchaseStatus.Paid)
            await OrganizationEvents.RecordAsync(session, bus, purchase.OrganizationId, EventTypes.CreditsPurchased, PurchaseView.Of(settled), now);
        if (command.OperatorId is { } operatorId)
            session.Store(new AuditEntry(Guid.CreateVersion7(), operatorId, $"purchase.marked_{Json.NameOf(settled.Status)}", purchase.OrganizationId,
                $"{purchase.Description} ({purchase.AmountCents / 100m} {purchase.Currency}), purchase {purchase.Id}", now));
        return settled;
    }
}
