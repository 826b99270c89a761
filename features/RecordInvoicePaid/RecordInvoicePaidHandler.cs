using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Platform;
using Marten;
using Wolverine;

namespace BaseAgency.Features.RecordInvoicePaid;

/// <summary>What a paid invoice does to the subscription.</summary>
public abstract record InvoicePaidDecision
{
    /// <summary>Reported before (Stripe delivers events more than once): nothing changes.</summary>
    public sealed record AlreadyRecorded : InvoicePaidDecision;

    /// <summary>Paid for a period that is over, or a change already made: recorded, nothing granted.</summary>
    public sealed record RecordOnly : InvoicePaidDecision;

    /// <summary>The invoice's period begins now: old plan credits expire, the period's credits are granted.</summary>
    public sealed record StartPeriod(Subscription Next, int Credits) : InvoicePaidDecision;

    /// <summary>The period began unpaid (manual renewal): its credits, and a bigger plan it was to start on, come now.</summary>
    public sealed record PayCurrentPeriod(Subscription Paid, int Credits) : InvoicePaidDecision;

    /// <summary>An upgrade for the rest of the period: the plan switches and the prorated credits are added.</summary>
    public sealed record ApplyUpgrade(Subscription Upgraded, int ExtraCredits) : InvoicePaidDecision;
}

/// <summary>
/// A subscription invoice was paid: Stripe's <c>invoice.paid</c>, an operator's mark-paid, or Development's auto-pay.
/// Exactly once per invoice and per period: the invoice is found by its provider reference, the period's credits are
/// keyed by its start in the ledger (whose lock serializes them), and the subscription's version makes a racing
/// duplicate fail (a 409 Stripe retries, then finds the invoice paid). No period's plan credits exist before this.
/// </summary>
public static class RecordInvoicePaidHandler
{
    public static InvoicePaidDecision Decide(Subscription subscription, Invoice? recorded, InvoiceFacts facts, Plan invoicePlan, Plan currentPlan,
        DateTimeOffset now)
    {
        if (recorded?.Status == InvoiceStatus.Paid) return new InvoicePaidDecision.AlreadyRecorded();
        var settlesPending = subscription.PendingChange?.Reference == facts.ProviderReference
                             || subscription.PendingChange?.Plan == facts.Plan;
        var pending = settlesPending ? null : subscription.PendingChange;

        if (facts.Reason == InvoiceReason.SubscriptionUpdate)
        {
            // Priced for the rest of one period: once that period is over (or the plan already changed), it buys nothing more.
            if (facts.Plan == subscription.Plan || PlanChanges.Compare(currentPlan, invoicePlan) != PlanChanges.Kind.Upgrade
                || facts.PeriodEnd != subscription.CurrentPeriodEnd || facts.PeriodEnd <= now)
                return new InvoicePaidDecision.RecordOnly();
            var credits = recorded?.Credits ?? PlanChanges.ExtraCredits(currentPlan, invoicePlan, subscription.Interval,
                PlanChanges.Quote(subscription, currentPlan, invoicePlan, facts.PeriodStart > now ? now : facts.PeriodStart));
            return new InvoicePaidDecision.ApplyUpgrade(subscription with { Plan = facts.Plan, PendingChange = pending }, credits);
        }

        // A provider's first invoice starts a new subscription, whenever the period it replaces began (the same second, even).
        var startsNewSubscription = facts.Reason == InvoiceReason.SubscriptionCreate && facts.ProviderSubscriptionId is { } started
                                    && started != subscription.ProviderSubscriptionId;
        if (facts.PeriodEnd <= now || (facts.PeriodStart < subscription.CurrentPeriodStart && !startsNewSubscription))
            return new InvoicePaidDecision.RecordOnly();
        var paid = subscription with
        {
            Plan = facts.Plan,
            Interval = facts.Interval,
            Status = SubscriptionStatus.Active,
            GraceEndsAt = null,
            PendingChange = pending,
            PendingPlan = subscription.PendingPlan == facts.Plan ? null : subscription.PendingPlan,
            ProviderSubscriptionId = facts.ProviderSubscriptionId ?? subscription.ProviderSubscriptionId,
            ProviderCustomerId = facts.ProviderCustomerId ?? subscription.ProviderCustomerId,
        };
        var periodCredits = PlanChanges.CreditsPerPeriod(invoicePlan, facts.Interval);
        return facts.PeriodStart == subscription.CurrentPeriodStart && subscription.Status == SubscriptionStatus.PastDue
            ? new InvoicePaidDecision.PayCurrentPeriod(paid, periodCredits)
            : new InvoicePaidDecision.StartPeriod(paid with { CurrentPeriodStart = facts.PeriodStart, CurrentPeriodEnd = facts.PeriodEnd }, periodCredits);
    }

    /// <summary>A manual first invoice buys a period from when it is paid, not from when it was issued.</summary>
    public static InvoiceFacts AsOfPayment(InvoiceFacts facts, DateTimeOffset now) =>
        facts.Reason == InvoiceReason.SubscriptionCreate && facts.ProviderReference.StartsWith(Invoice.ManualPrefix, StringComparison.Ordinal)
            ? facts with { PeriodStart = now, PeriodEnd = Subscription.PeriodEnd(now, facts.Interval) }
            : facts;

    public static async Task<Outcome<Subscription>> Handle(Billing.RecordInvoicePaid command, IDocumentSession session, IMessageContext bus,
        CreditLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await session.FindCurrentPlanAsync(command.OrganizationId, ct) is not var (subscription, currentPlan))
            return Problems.NotFound("The organization");
        var recorded = await Invoice.FindAsync(session, command.Invoice.ProviderReference, ct);
        var facts = AsOfPayment(command.Invoice, now);
        if (await session.LoadAsync<Plan>(Plan.IdOf(facts.Plan), ct) is not { } invoicePlan) return Problems.NotFound("The invoice's plan");

        var decision = Decide(subscription, recorded, facts, invoicePlan, currentPlan, now);
        var credits = 0;
        switch (decision)
        {
            case InvoicePaidDecision.AlreadyRecorded:
                return subscription;
            case InvoicePaidDecision.StartPeriod start:
                await SubscriptionPeriods.StartAsync(session, bus, ledger, start.Next, invoicePlan, start.Credits, now, ct);
                (subscription, credits) = (start.Next, start.Credits);
                break;
            case InvoicePaidDecision.PayCurrentPeriod pay:
                session.Store(pay.Paid);
                await SubscriptionPeriods.GrantAsync(session, ledger, pay.Paid, invoicePlan, pay.Credits, ct);
                await SubscriptionPeriods.RenewedAsync(session, bus, pay.Paid, now);
                (subscription, credits) = (pay.Paid, pay.Credits);
                break;
            case InvoicePaidDecision.ApplyUpgrade upgrade:
                session.Store(upgrade.Upgraded);
                await SubscriptionPeriods.GrantPlanCreditsAsync(session, ledger, subscription, upgrade.ExtraCredits,
                    $"Upgrade to {invoicePlan.Name} for the rest of the period", $"invoice:{facts.ProviderReference}", ct);
                (subscription, credits) = (upgrade.Upgraded, upgrade.ExtraCredits);
                break;
        }

        var invoice = recorded ?? Invoice.Reported(command.OrganizationId, facts, now);
        session.Store(invoice with { Facts = facts, Status = InvoiceStatus.Paid, PaidAt = now, PaidBy = command.By, Credits = credits });
        if (command.OperatorId is { } operatorId)
            session.Store(new AuditEntry(Guid.CreateVersion7(), operatorId, "invoice.marked_paid", command.OrganizationId,
                $"{facts.Plan} {facts.Reason} invoice ({facts.AmountCents / 100m} {facts.Currency}), invoice {invoice.Id}", now));
        return subscription;
    }
}
