using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.ChangePlan;

/// <summary>What asking for a plan leads to.</summary>
public abstract record PlanChangeDecision
{
    public sealed record Refused(ProblemHttpResult Problem) : PlanChangeDecision;

    /// <summary>Asking for the plan one is on takes back a scheduled downgrade, interval change or cancellation.</summary>
    public sealed record TakeBackScheduledChange : PlanChangeDecision;

    /// <summary>A downgrade, an interval change, or an upgrade too small to charge: the next period is on it, paid by its invoice.</summary>
    public sealed record AtPeriodEnd(PlanSlug To, BillingInterval Interval) : PlanChangeDecision;

    /// <summary>A first paid plan: a new period starts when its first invoice is paid.</summary>
    public sealed record Subscribe(PlanSlug To, BillingInterval Interval, long PriceCents, int Credits) : PlanChangeDecision;

    /// <summary>A bigger plan for the rest of the paid period, applied when the prorated invoice is paid.</summary>
    public sealed record Upgrade(PlanSlug To, PlanChangeQuote Quote, long PriceCents, int ExtraCredits, BillingInterval? ThenInterval)
        : PlanChangeDecision;
}

/// <summary>
/// Moves the organization to another plan without ever giving one away: an upgrade applies only once paid, a
/// downgrade or cancellation waits for the period's end. At most one change waits for payment at a time: the
/// handler takes the organization's ledger lock before it reads the subscription, so a second request sees the
/// first's pending change (409), and the subscription's version catches any other writer.
/// With Stripe Billing the provider holds the subscription and reports back through signed events; with manual
/// billing each change is an invoice an operator marks paid (Development: paid at once).
/// </summary>
public static class ChangePlanHandler
{
    public static PlanChangeDecision Decide(Subscription subscription, Plan current, Plan? target, BillingInterval? interval,
        long minimumChargeCents, DateTimeOffset now)
    {
        if (target is not { IsActive: true }) return new PlanChangeDecision.Refused(Problems.Of(422, "unknown_plan", "That plan is not offered."));
        var kind = PlanChanges.Compare(current, target);
        if (kind == PlanChanges.Kind.ContactSales)
            return new PlanChangeDecision.Refused(Problems.Of(422, "contact_sales", "The Enterprise plan is arranged with our sales team.",
                "Contact sales; an operator moves the organization once the contract is signed."));
        if (subscription.PendingChange is { } pending && pending.ExpiresAt > now)
            return new PlanChangeDecision.Refused(Problems.Conflict("plan_change_pending", "A plan change is already waiting for payment.",
                $"Pay it or wait until {pending.ExpiresAt:u} before asking for another."));

        var wanted = target.Slug == PlanSlug.Free ? BillingInterval.Month
            : interval ?? (current.Slug == PlanSlug.Free ? BillingInterval.Month : subscription.Interval);
        switch (kind)
        {
            case PlanChanges.Kind.Same when wanted != subscription.Interval:
                return new PlanChangeDecision.AtPeriodEnd(target.Slug, wanted);
            case PlanChanges.Kind.Same when subscription.PendingPlan is not null || subscription.PendingInterval is not null
                                            || subscription.CancelAtPeriodEnd:
                return new PlanChangeDecision.TakeBackScheduledChange();
            case PlanChanges.Kind.Same:
                return new PlanChangeDecision.Refused(
                    Problems.Conflict("already_on_plan", $"The organization is already on the {current.Name} plan."));
            case PlanChanges.Kind.Downgrade:
                return new PlanChangeDecision.AtPeriodEnd(target.Slug, wanted);
        }

        if (subscription.Status == SubscriptionStatus.PastDue)
            return new PlanChangeDecision.Refused(Problems.Conflict("subscription_past_due", "The current period is not paid.",
                "Pay the open invoice (GET /api/billing/invoices) before changing plan."));
        if (current.PriceMonthlyCents == 0)
            return new PlanChangeDecision.Subscribe(target.Slug, wanted, PlanChanges.PriceCents(target, wanted),
                PlanChanges.CreditsPerPeriod(target, wanted));

        var quote = PlanChanges.Quote(subscription, current, target, now);
        var price = PlanChanges.PriceCents(current, target, subscription.Interval, quote);
        return price < minimumChargeCents
            ? new PlanChangeDecision.AtPeriodEnd(target.Slug, wanted)
            : new PlanChangeDecision.Upgrade(target.Slug, quote, price, PlanChanges.ExtraCredits(current, target, subscription.Interval, quote),
                wanted == subscription.Interval ? null : wanted);
    }

    public static async Task<Outcome<PlanChangeAnswer>> Handle(ChangePlan command, IDocumentSession session, CreditLedger ledger,
        IPaymentProvider provider, IOptions<BillingOptions> billing, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            return await ChangeAsync(command, session, ledger, provider, billing.Value, clock, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            // Stripe is asked before anything is staged, so nothing here changed: the caller may simply try again.
            return unavailable.ToProblem();
        }
    }

    private static async Task<Outcome<PlanChangeAnswer>> ChangeAsync(ChangePlan command, IDocumentSession session, CreditLedger ledger,
        IPaymentProvider provider, BillingOptions billing, TimeProvider clock, CancellationToken ct)
    {
        await ledger.LockAccountAsync(session, command.OrganizationId, ct);
        var (subscription, current) = await session.CurrentPlanAsync(command.OrganizationId, ct);
        var target = await session.LoadAsync<Plan>(Plan.IdOf(command.Plan), ct);
        var now = clock.GetUtcNow();
        var stripe = provider.Subscriptions;

        switch (Decide(subscription, current, target, command.Interval, billing.MinimumChargeCents, now))
        {
            case PlanChangeDecision.Refused refused:
                return refused.Problem;

            case PlanChangeDecision.TakeBackScheduledChange:
                if (stripe is not null && subscription.ProviderManaged)
                {
                    if (subscription.CancelAtPeriodEnd) await stripe.SetCancelAtPeriodEndAsync(subscription, false, ct);
                    else await stripe.ChangePlanAsync(subscription, subscription.Plan, subscription.Interval, upgrade: false, Guid.CreateVersion7(), ct);
                }
                session.Store(subscription with { PendingPlan = null, PendingInterval = null, CancelAtPeriodEnd = false });
                return Answer(PlanChangeStatus.PendingChangeCanceled, subscription, null, null);

            case PlanChangeDecision.AtPeriodEnd later:
                if (stripe is not null && subscription.ProviderManaged)
                {
                    if (later.To == PlanSlug.Free) await stripe.SetCancelAtPeriodEndAsync(subscription, true, ct);
                    else await stripe.ChangePlanAsync(subscription, later.To, later.Interval, upgrade: false, Guid.CreateVersion7(), ct);
                }
                var scheduled = later.To == PlanSlug.Free
                    ? subscription with { CancelAtPeriodEnd = true, PendingPlan = PlanSlug.Free, PendingInterval = null }
                    : subscription with { CancelAtPeriodEnd = false, PendingPlan = later.To == subscription.Plan ? null : later.To,
                        PendingInterval = later.Interval == subscription.Interval ? null : later.Interval };
                session.Store(scheduled);
                return Answer(PlanChangeStatus.Scheduled, scheduled, later.To, subscription.CurrentPeriodEnd);

            case PlanChangeDecision.Subscribe subscribe:
                return await SubscribeAsync(session, stripe, billing, command, subscription, target!, subscribe, now, ct);

            case PlanChangeDecision.Upgrade upgrade when stripe is not null && !subscription.ProviderManaged:
                // A paid plan Stripe does not hold (set by an operator): paying for it starts a Stripe subscription.
                return await SubscribeAsync(session, stripe, billing, command, subscription, target!,
                    new PlanChangeDecision.Subscribe(upgrade.To, subscription.Interval, PlanChanges.PriceCents(target!, subscription.Interval),
                        PlanChanges.CreditsPerPeriod(target!, subscription.Interval)), now, ct);

            case PlanChangeDecision.Upgrade { ThenInterval: not null } when stripe is not null:
                // Stripe prorates an upgrade within the interval it bills; the interval is a second change, at the period's end.
                return Problems.Of(422, "one_change_at_a_time", "Change the plan and the billing interval one at a time.",
                    "Upgrade on the current interval first; once it is paid, ask for the other interval.");

            case PlanChangeDecision.Upgrade upgrade:
                return await UpgradeAsync(session, stripe, billing, subscription, target!, upgrade, now, ct);
        }
        throw new InvalidOperationException("Every plan change decision is handled above.");
    }

    private static async Task<Outcome<PlanChangeAnswer>> SubscribeAsync(IDocumentSession session, ISubscriptionBilling? stripe,
        BillingOptions billing, ChangePlan command, Subscription subscription, Plan target, PlanChangeDecision.Subscribe subscribe,
        DateTimeOffset now, CancellationToken ct)
    {
        var changeId = Guid.CreateVersion7(now);
        var expires = now + billing.PurchaseLifetime;
        if (stripe is not null)
        {
            var checkout = await stripe.StartAsync(new SubscriptionOrder(command.OrganizationId, command.UserId, subscribe.To, subscribe.Interval,
                changeId, expires), ct);
            return Waiting(session, subscription, new PendingPlanChange(changeId, subscribe.To, subscribe.Interval, checkout.ProviderReference, now,
                expires), subscribe.Credits, subscribe.PriceCents, checkoutUrl: checkout.CheckoutUrl);
        }

        var invoice = Invoice.Manual(command.OrganizationId, InvoiceReason.SubscriptionCreate, target, subscribe.Interval, now,
            Subscription.PeriodEnd(now, subscribe.Interval), subscribe.PriceCents, subscribe.Credits, now, expires);
        return await InvoicedAsync(session, billing, subscription, invoice, changeId, now, expires, ct);
    }

    private static async Task<Outcome<PlanChangeAnswer>> UpgradeAsync(IDocumentSession session, ISubscriptionBilling? stripe,
        BillingOptions billing, Subscription subscription, Plan target, PlanChangeDecision.Upgrade upgrade, DateTimeOffset now, CancellationToken ct)
    {
        var changeId = Guid.CreateVersion7(now);
        var expires = now + billing.PurchaseLifetime;
        if (stripe is not null)
        {
            await stripe.ChangePlanAsync(subscription, upgrade.To, subscription.Interval, upgrade: true, changeId, ct);
            return Waiting(session, subscription, new PendingPlanChange(changeId, upgrade.To, subscription.Interval, $"stripe-change:{changeId}", now,
                expires), upgrade.ExtraCredits, upgrade.PriceCents);
        }

        var invoice = Invoice.Manual(subscription.Id, InvoiceReason.SubscriptionUpdate, target, subscription.Interval, now,
            subscription.CurrentPeriodEnd, upgrade.PriceCents, upgrade.ExtraCredits, now, expires);
        return await InvoicedAsync(session, billing, subscription with { PendingInterval = upgrade.ThenInterval }, invoice, changeId, now, expires, ct);
    }

    private static async Task<PlanChangeAnswer> InvoicedAsync(IDocumentSession session, BillingOptions billing, Subscription subscription,
        Invoice invoice, Guid changeId, DateTimeOffset now, DateTimeOffset expires, CancellationToken ct)
    {
        await SubscriptionPeriods.VoidPendingChangeAsync(session, subscription, ct); // the one this replaces expired unpaid
        session.Store(invoice);
        var payNow = billing.AutoCompleteManualPurchases ? new Billing.RecordInvoicePaid(invoice.OrganizationId, invoice.Facts, "auto-complete") : null;
        return Waiting(session, subscription, new PendingPlanChange(changeId, invoice.Facts.Plan, invoice.Facts.Interval,
            invoice.Facts.ProviderReference, now, expires), invoice.Credits, invoice.Facts.AmountCents, InvoiceView.Of(invoice), payNow: payNow);
    }

    /// <summary>The change now waits for payment: it is the subscription's one pending change until paid or expired.</summary>
    private static PlanChangeAnswer Waiting(IDocumentSession session, Subscription subscription, PendingPlanChange change, int credits,
        long priceCents, InvoiceView? invoice = null, string? checkoutUrl = null, Billing.RecordInvoicePaid? payNow = null)
    {
        session.Store(subscription with { PendingChange = change });
        return new PlanChangeAnswer(new ChangePlanResponse(PlanChangeStatus.PaymentRequired, subscription.Plan, subscription.Interval, null,
            null, credits, priceCents, invoice, checkoutUrl), payNow);
    }

    private static PlanChangeAnswer Answer(PlanChangeStatus status, Subscription subscription, PlanSlug? pending, DateTimeOffset? effectiveAt) =>
        new(new ChangePlanResponse(status, subscription.Plan, subscription.Interval, pending, effectiveAt, 0, null, null, null), null);
}
