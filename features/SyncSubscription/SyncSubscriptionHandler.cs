using BaseAgency.Billing;
using BaseAgency.Ledger;
using BaseAgency.Http;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.SyncSubscription;

/// <summary>
/// Keeps a Stripe-held subscription's state in step with Stripe (<c>customer.subscription.updated</c>/<c>deleted</c>):
/// cancel-at-period-end, past due, paused, and the end of the subscription (back to Free). The plan and the period move
/// only with paid invoices, so an update never grants or takes a plan by itself.
/// </summary>
public static class SyncSubscriptionHandler
{
    public static async Task<Outcome<Subscription>> Handle(Billing.SyncSubscription command, IDocumentSession session, IMessageContext bus,
        CreditLedger ledger, IOptions<BillingOptions> billing, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var facts = command.Facts;
        if (await session.FindCurrentPlanAsync(command.OrganizationId, ct) is not var (subscription, _)) return Problems.NotFound("The organization");
        // Another (older) Stripe subscription of this organization, or one whose first invoice is not paid yet.
        if (subscription.ProviderSubscriptionId != facts.ProviderSubscriptionId) return subscription;

        if (facts.Ended || facts.Status == SubscriptionStatus.Canceled)
        {
            await SubscriptionPeriods.FallBackToFreeAsync(session, bus, ledger, subscription, now, ct);
            return subscription.FreeFrom(now);
        }

        var synced = subscription with { CancelAtPeriodEnd = facts.CancelAtPeriodEnd };
        synced = facts.Status switch
        {
            SubscriptionStatus.PastDue => await SubscriptionPeriods.PastDueAsync(session, bus, synced, billing.Value.GracePeriod, now),
            // Paid again (its invoice.paid does the rest) or paused by the customer in Stripe.
            _ => synced with { Status = facts.Status, GraceEndsAt = facts.Status == SubscriptionStatus.Active ? null : synced.GraceEndsAt },
        };
        if (synced != subscription) session.Store(synced);
        return synced;
    }
}
