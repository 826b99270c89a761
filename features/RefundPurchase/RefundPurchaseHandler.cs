using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace BaseAgency.Features.RefundPurchase;

/// <summary>
/// Refunds once: the provider's refund is keyed by the purchase (a retry gets the first refund back), and the purchase
/// is versioned, so of two racing refunds (or a refund racing a mark-paid) one commits and the other, retried, finds
/// the purchase refunded. A refunded purchase never grants credits (<see cref="Purchase.After"/>).
/// </summary>
public static class RefundPurchaseHandler
{
    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(3);

    public static async Task<Outcome<PurchaseView>> Handle(RefundPurchase command, IQuerySession session, IMessageBus bus, CancellationToken ct) =>
        await session.FindPurchaseAnywhereAsync(command.PurchaseId, ct) is { } found
            ? await bus.InvokeForTenantAsync<Outcome<PurchaseView>>(Tenancy.TenantOf(found.OrganizationId),
                new RefundOrganizationPurchase(found.OrganizationId, found.Id, command.OperatorId), ct)
            : Problems.NotFound("The purchase");

    public static async Task<Outcome<PurchaseView>> Handle(RefundOrganizationPurchase command, IDocumentSession session, CreditLedger ledger,
        IPaymentProvider provider, TimeProvider clock, ILogger<RefundPurchase> log, CancellationToken ct)
    {
        if (await session.LoadAsync<Purchase>(command.PurchaseId, ct) is not { } purchase) return Problems.NotFound("The purchase");
        if (purchase.Status == PurchaseStatus.Refunded) return PurchaseView.Of(purchase);
        if (Refusal(purchase) is { } refusal) return refusal;

        // Credits granted for it are checked, and later taken, under the ledger lock held until the commit: they cannot
        // be spent while the provider refunds.
        var reason = $"Refund of purchase {purchase.Id}";
        var locked = purchase.Status == PurchaseStatus.Paid ? await ledger.LockAccountAsync(session, purchase.OrganizationId, ct) : null;
        if (locked is not null && CreditRules.TakeBack(locked.Account, purchase.Credits, reason, command.OperatorId, clock.GetUtcNow())
                .Rejection is InsufficientCredits paid)
            return Problems.Conflict("credits_spent", "The purchase's credits are no longer all available, so they cannot be taken back.",
                $"The purchase granted {paid.Required} credits; {paid.Available} paid credits are available (the rest were spent or are reserved).");

        string reference;
        try
        {
            reference = await provider.RefundAsync(purchase, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            log.LogWarning(unavailable.InnerException, "Refund of purchase {PurchaseId} could not reach {Provider}", purchase.Id, provider.Name);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "payment_provider_unavailable",
                "The payment provider is not available right now; nothing was refunded. Try again shortly.");
        }
        catch (PaymentRefused refused)
        {
            return Problems.Conflict("refund_refused", "The payment provider refused the refund.", $"{refused.Reason} ({refused.Code})");
        }

        var now = clock.GetUtcNow();
        if (locked is not null && ledger.TakeBack(session, locked, purchase.Credits, reason, command.OperatorId) is { } rejection)
            throw new InvalidOperationException($"The ledger refused to take back refunded purchase {purchase.Id}: {rejection.Message}");
        var refunded = purchase.Refunded(reference, $"operator:{command.OperatorId}", now)!;
        session.Store(refunded);
        session.Store(new AuditEntry(Guid.CreateVersion7(), command.OperatorId, "purchase.refunded", purchase.OrganizationId,
            $"{purchase.Description} ({purchase.AmountCents / 100m} {purchase.Currency}, was {Json.NameOf(purchase.Status)}), purchase {purchase.Id}, " +
            $"refund {reference}" + (locked is null ? "" : $", {purchase.Credits} credits taken back"), now));
        return PurchaseView.Of(refunded);
    }

    /// <summary>Only money received can go back: a paid purchase or one waiting for review.</summary>
    public static ProblemHttpResult? Refusal(Purchase purchase) => purchase switch
    {
        { Status: not (PurchaseStatus.Paid or PurchaseStatus.NeedsReview) } =>
            Problems.Conflict("nothing_to_refund", "No money was received for this purchase.", $"It is {Json.NameOf(purchase.Status)}."),
        _ => null,
    };
}
