using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.RecordInvoicePaymentFailed;

/// <summary>
/// Stripe could not collect an invoice (<c>invoice.payment_failed</c>; it retries by itself). A period's invoice puts the
/// subscription past due: the plan stays for the grace period, no credits are granted, and if it is still unpaid when
/// the grace ends it falls back to Free. A failed upgrade or first payment changes no plan: the pending change is dropped.
/// </summary>
public static class RecordInvoicePaymentFailedHandler
{
    public static async Task<Outcome<Subscription>> Handle(Billing.RecordInvoicePaymentFailed command, IDocumentSession session,
        IMessageContext bus, IOptions<BillingOptions> billing, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var facts = command.Invoice;
        if (await session.FindCurrentPlanAsync(command.OrganizationId, ct) is not var (subscription, _)) return Problems.NotFound("The organization");
        var recorded = await Invoice.FindAsync(session, facts.ProviderReference, ct);
        if (recorded?.Status is InvoiceStatus.Paid or InvoiceStatus.Void or InvoiceStatus.Uncollectible) return subscription;

        var changed = facts.Reason == InvoiceReason.SubscriptionCycle
            ? subscription.ProviderSubscriptionId == facts.ProviderSubscriptionId && facts.PeriodEnd > now
                ? await SubscriptionPeriods.PastDueAsync(session, bus, subscription, billing.Value.GracePeriod, now)
                : subscription
            : subscription with { PendingChange = null, PendingInterval = null };
        if (changed != subscription) session.Store(changed);
        session.Store((recorded ?? Invoice.Reported(command.OrganizationId, facts, now)) with { Facts = facts, DueAt = changed.GraceEndsAt });
        return changed;
    }
}
