using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;

namespace BaseAgency.Billing;

/// <summary>Stripe's invoice states (drafts are never shown).</summary>
public enum InvoiceStatus { Open, Paid, Void, Uncollectible }

/// <summary>Why an invoice was made, as Stripe's <c>billing_reason</c>.</summary>
public enum InvoiceReason { SubscriptionCreate, SubscriptionCycle, SubscriptionUpdate }

/// <summary>
/// What one subscription invoice is for, as the payment provider (Stripe's invoice) or our manual billing states it.
/// A paid <see cref="InvoiceReason.SubscriptionCreate"/> or <see cref="InvoiceReason.SubscriptionCycle"/> invoice
/// starts the period it covers; a paid <see cref="InvoiceReason.SubscriptionUpdate"/> applies an upgrade for the rest
/// of the current period.
/// </summary>
/// <param name="ProviderReference">Stripe's invoice id ("in_…"), or "manual:{invoice id}".</param>
/// <param name="AmountCents">What was (or is to be) paid, in the currency's minor unit.</param>
public sealed record InvoiceFacts(
    string ProviderReference,
    InvoiceReason Reason,
    PlanSlug Plan,
    BillingInterval Interval,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    long AmountCents,
    string Currency,
    string? HostedUrl = null,
    string? ProviderSubscriptionId = null,
    string? ProviderCustomerId = null);

/// <summary>An organization's subscription invoice; its provider reference is unique, so a repeated event finds it.</summary>
public sealed record Invoice(
    Guid Id,
    Guid OrganizationId,
    InvoiceFacts Facts,
    InvoiceStatus Status,
    string Provider,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt = null,
    DateTimeOffset? PaidAt = null,
    string? PaidBy = null,
    int Credits = 0) : IOrganizationOwned
{
    public const string ManualPrefix = "manual:";

    /// <summary>The invoice a provider reference names, in the session's organization.</summary>
    public static Task<Invoice?> FindAsync(IQuerySession session, string providerReference, CancellationToken ct) =>
        session.Query<Invoice>().FirstOrDefaultAsync(i => i.Facts.ProviderReference == providerReference, ct);

    /// <summary>A provider's invoice we hear of for the first time (ids are time-ordered, for paging).</summary>
    public static Invoice Reported(Guid organizationId, InvoiceFacts facts, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), organizationId, facts, InvoiceStatus.Open,
            facts.ProviderReference.StartsWith(ManualPrefix, StringComparison.Ordinal) ? ManualPayments.Id : StripePayments.Id, now);

    /// <summary>An invoice we issue ourselves (manual billing), open until an operator marks it paid.</summary>
    public static Invoice Manual(Guid organizationId, InvoiceReason reason, Plan plan, BillingInterval interval, DateTimeOffset periodStart,
        DateTimeOffset periodEnd, long amountCents, int credits, DateTimeOffset now, DateTimeOffset dueAt)
    {
        var id = Guid.CreateVersion7(now);
        return new Invoice(id, organizationId,
            new InvoiceFacts($"{ManualPrefix}{id}", reason, plan.Slug, interval, periodStart, periodEnd, amountCents, "USD"),
            InvoiceStatus.Open, ManualPayments.Id, now, dueAt, Credits: credits);
    }
}

/// <summary>An invoice as the organization sees it.</summary>
public sealed record InvoiceView(Guid Id, InvoiceReason Reason, PlanSlug Plan, BillingInterval Interval, DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd, decimal Amount, string Currency, InvoiceStatus Status, int Credits, string? HostedUrl,
    DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? PaidAt)
{
    public static InvoiceView Of(Invoice i) => new(i.Id, i.Facts.Reason, i.Facts.Plan, i.Facts.Interval, i.Facts.PeriodStart, i.Facts.PeriodEnd,
        i.Facts.AmountCents / 100m, i.Facts.Currency, i.Status, i.Credits, i.Facts.HostedUrl, i.CreatedAt, i.DueAt, i.PaidAt);
}

/// <summary>
/// A subscription invoice was paid (Stripe's <c>invoice.paid</c>, an operator's mark-paid, Development's
/// auto-pay). Handled exactly once per invoice: the period starts, or the upgrade applies, and its credits are granted.
/// </summary>
/// <param name="By">Who reported it ("stripe:{event id}", "operator:{id}", "auto-complete").</param>
public sealed record RecordInvoicePaid(Guid OrganizationId, InvoiceFacts Invoice, string By, Guid? OperatorId = null);

/// <summary>Stripe's <c>invoice.payment_failed</c>: the subscription goes past due with a grace before it falls back to Free.</summary>
public sealed record RecordInvoicePaymentFailed(Guid OrganizationId, InvoiceFacts Invoice, string By);

/// <summary>What Stripe's <c>customer.subscription.updated</c> / <c>deleted</c> say about a provider-managed subscription.</summary>
/// <param name="Ended">The subscription is over (deleted, or canceled at the end of its period): back to Free.</param>
public sealed record SubscriptionFacts(string ProviderSubscriptionId, SubscriptionStatus Status, bool CancelAtPeriodEnd, bool Ended,
    DateTimeOffset? CurrentPeriodStart, DateTimeOffset? CurrentPeriodEnd);

public sealed record SyncSubscription(Guid OrganizationId, SubscriptionFacts Facts, string By);

/// <summary>Scheduled when a subscription goes past due: if it still is at <paramref name="GraceEndsAt"/>, it falls back to Free.</summary>
public sealed record EndGracePeriod(Guid OrganizationId, DateTimeOffset GraceEndsAt);

/// <summary>A first paid plan, bought through the provider's checkout (Stripe Checkout in subscription mode).</summary>
/// <param name="ChangeId">The subscription's <see cref="PendingPlanChange.Id"/>; also the provider idempotency key's seed.</param>
public sealed record SubscriptionOrder(Guid OrganizationId, Guid BuyerId, PlanSlug Plan, BillingInterval Interval, Guid ChangeId,
    DateTimeOffset ExpiresAt);

/// <summary>
/// A payment provider that runs recurring subscriptions itself (Stripe Billing). It reports back through
/// signed events, turned into <see cref="RecordInvoicePaid"/>, <see cref="RecordInvoicePaymentFailed"/> and
/// <see cref="SyncSubscription"/>. Calls that fail throw <see cref="PaymentProviderUnavailable"/>.
/// </summary>
public interface ISubscriptionBilling
{
    string Name { get; }

    /// <summary>Checkout for a first paid plan; the subscription starts when its first invoice is paid.</summary>
    Task<Checkout> StartAsync(SubscriptionOrder order, CancellationToken ct);

    /// <summary>
    /// Moves a provider-managed subscription to another paid plan or interval. An upgrade is prorated and invoiced at
    /// once and applies only when paid (Stripe: <c>proration_behavior=always_invoice</c>,
    /// <c>payment_behavior=pending_if_incomplete</c>); a downgrade is billed from the next period, without proration.
    /// </summary>
    Task ChangePlanAsync(Subscription subscription, PlanSlug plan, BillingInterval interval, bool upgrade, Guid changeId, CancellationToken ct);

    Task SetCancelAtPeriodEndAsync(Subscription subscription, bool cancel, CancellationToken ct);

    /// <summary>Ends the subscription now (a grace period ran out unpaid).</summary>
    Task CancelNowAsync(Subscription subscription, CancellationToken ct);

    /// <summary>The provider's customer portal (payment methods, invoices); null when the customer has none yet.</summary>
    Task<string?> PortalUrlAsync(Subscription subscription, string returnUrl, CancellationToken ct);
}
