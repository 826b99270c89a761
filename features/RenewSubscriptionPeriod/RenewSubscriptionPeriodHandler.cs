using BaseAgency.Billing;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.RenewSubscriptionPeriod;

/// <summary>
/// At the end of a period we drive (Free, and paid plans billed manually; Stripe drives its own): the next period
/// starts, on the pending plan and interval if a change was asked for, or on Free if canceled, and the old plan
/// credits expire. A free period's credits are granted at once. A paid period gets an invoice and is past due until
/// it is paid: its credits come with the payment (<c>RecordInvoicePaid</c>), or it falls back to Free after the
/// grace. Exactly once: a message for a period that already ended changes nothing, and the subscription's version
/// and the ledger lock serialize racing deliveries.
/// </summary>
public static class RenewSubscriptionPeriodHandler
{
    public enum Renewal { AlreadyDone, TooEarly, Due }

    /// <summary>A message for another period end means the period renewed already, or the plan changed since.</summary>
    public static Renewal Decide(Subscription subscription, DateTimeOffset periodEnd, DateTimeOffset now) =>
        subscription.ProviderManaged || subscription.CurrentPeriodEnd != periodEnd ? Renewal.AlreadyDone
        : subscription.CurrentPeriodEnd > now ? Renewal.TooEarly
        : Renewal.Due;

    public static async Task Handle(Plans.RenewSubscriptionPeriod renew, IDocumentSession session, IMessageContext bus, CreditLedger ledger,
        IOptions<BillingOptions> billing, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (subscription, current) = await session.CurrentPlanAsync(renew.OrganizationId, ct);
        switch (Decide(subscription, renew.PeriodEnd, now))
        {
            case Renewal.AlreadyDone:
                return;
            case Renewal.TooEarly:
                await bus.ScheduleRenewalAsync(subscription); // woke early: wait for the period's end
                return;
        }

        // A change still waiting for payment was priced for the period that just ended: it ends with it, unpaid.
        await SubscriptionPeriods.VoidPendingChangeAsync(session, subscription, ct);
        var next = subscription.Next() with { Status = SubscriptionStatus.Active, GraceEndsAt = null, PendingChange = null };
        var plan = next.Plan == subscription.Plan ? current : await session.LoadAsync<Plan>(Plan.IdOf(next.Plan), ct) ?? current;
        var price = PlanChanges.PriceCents(plan, next.Interval);
        if (price == 0)
        {
            await SubscriptionPeriods.StartAsync(session, bus, ledger, next, plan, PlanChanges.CreditsPerPeriod(plan, next.Interval), now, ct);
            return;
        }

        // Until it is paid, a period that was to bring a bigger plan stays on the one already paid for.
        var unpaid = await SubscriptionPeriods.PastDueAsync(session, bus,
            PlanChanges.Compare(current, plan) == PlanChanges.Kind.Upgrade ? next with { Plan = subscription.Plan } : next,
            billing.Value.GracePeriod, now);
        await SubscriptionPeriods.StartAsync(session, bus, ledger, unpaid, plan, credits: 0, now, ct);
        var invoice = Invoice.Manual(renew.OrganizationId, InvoiceReason.SubscriptionCycle, plan, next.Interval, next.CurrentPeriodStart,
            next.CurrentPeriodEnd, price, PlanChanges.CreditsPerPeriod(plan, next.Interval), now, unpaid.GraceEndsAt!.Value);
        session.Store(invoice);
        if (billing.Value.AutoCompleteManualPurchases)
            await bus.SendAsync(new Billing.RecordInvoicePaid(renew.OrganizationId, invoice.Facts, "auto-complete"),
                new DeliveryOptions { TenantId = bus.TenantId });
    }
}
