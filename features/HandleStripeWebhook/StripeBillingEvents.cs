using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Stripe;
using Wolverine;
using Subscription = BaseAgency.Plans.Subscription;

namespace BaseAgency.Features.HandleStripeWebhook;

/// <summary>
/// Stripe Billing's events (a subscription's invoices and its changes), turned into the organization's billing messages.
/// Stripe delivers each event at least once and in no particular order, so every event is read on its own, with no
/// state of ours: an invoice is one fact the idempotent handlers judge against the subscription as it stands, and a
/// subscription's change is read from Stripe's current subscription, so any delivery of any update reports the latest.
/// Events about objects that are not ours answer 200 and change nothing, so Stripe stops retrying them.
/// </summary>
public static class StripeBillingEvents
{
    public static bool Handles(Event stripeEvent) =>
        stripeEvent.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed
            or EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated or EventTypes.CustomerSubscriptionDeleted
        // Read and left alone, like customer.subscription.created: a subscription starts when its first invoice is paid.
        || stripeEvent.Data.Object is Stripe.Checkout.Session { Mode: "subscription" };

    public static async Task<Outcome<StripeWebhookResponse>> HandleAsync(Event stripeEvent, IQuerySession session, IPaymentProvider provider,
        IMessageBus bus, ILogger log, CancellationToken ct)
    {
        try
        {
            return await TranslateAsync(stripeEvent, session, provider, bus, log, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            // Reading a price or the current subscription back from Stripe failed: a 503, and Stripe delivers the event again.
            log.LogWarning(unavailable.InnerException, "Stripe event {EventId} ({EventType}) could not be read back from Stripe", stripeEvent.Id,
                stripeEvent.Type);
            return unavailable.ToProblem();
        }
    }

    private static async Task<Outcome<StripeWebhookResponse>> TranslateAsync(Event stripeEvent, IQuerySession session, IPaymentProvider provider,
        IMessageBus bus, ILogger log, CancellationToken ct)
    {
        var by = $"stripe:{stripeEvent.Id}";
        (Guid Organization, object Message)? translated = stripeEvent.Data.Object switch
        {
            Stripe.Invoice invoice when OrganizationOf(invoice.Parent?.SubscriptionDetails?.Metadata) is { } org
                                        && SubscriptionLine(invoice)?.Pricing?.PriceDetails?.PriceId is { } priceId
                                        && provider.Subscriptions is StripeSubscriptions billing
                                        && await billing.PlanOfAsync(priceId, ct) is var (plan, interval)
                                        && Read(invoice, plan, interval) is { } facts =>
                (org, stripeEvent.Type == EventTypes.InvoicePaid
                    ? new Billing.RecordInvoicePaid(org, facts, by)
                    : new Billing.RecordInvoicePaymentFailed(org, facts, by)),
            // The subscription as it stands now, not as the event saw it: a late delivery of an older update must not undo a newer one.
            Stripe.Subscription reported when stripeEvent.Type is EventTypes.CustomerSubscriptionUpdated or EventTypes.CustomerSubscriptionDeleted
                                              && provider.Subscriptions is StripeSubscriptions billing
                                              && await billing.CurrentAsync(reported.Id, ct) is { } subscription
                                              && OrganizationOf(subscription.Metadata) is { } org =>
                (org, new Billing.SyncSubscription(org, Read(subscription, stripeEvent.Type == EventTypes.CustomerSubscriptionDeleted), by)),
            _ => null,
        };
        if (translated is not var (organizationId, message) || await session.LoadAsync<Organization>(organizationId, ct) is null)
        {
            log.LogInformation("Stripe event {EventId} ({EventType}) acknowledged and ignored: {Reason}", stripeEvent.Id, stripeEvent.Type, LeftAlone);
            return new StripeWebhookResponse(true, Ignored: LeftAlone);
        }

        // Inline, in the organization, so a failure answers 5xx and Stripe delivers the event again.
        var outcome = await bus.InvokeForTenantAsync<Outcome<Subscription>>(Tenancy.TenantOf(organizationId), message, ct);
        if (outcome.Problem is not { } problem) return new StripeWebhookResponse(true);
        // The event does not apply (an organization without a subscription here): another delivery would not change that.
        log.LogWarning("Stripe event {EventId} ({EventType}) for organization {OrganizationId} changed nothing: {Problem}",
            stripeEvent.Id, stripeEvent.Type, organizationId, problem.ProblemDetails.Title);
        return new StripeWebhookResponse(true, Ignored: problem.ProblemDetails.Title);
    }

    private const string LeftAlone = "Not about one of this service's subscriptions, or only read (a subscription starts with its first paid invoice).";

    /// <summary>What a subscription invoice says; null for invoices that neither start a period nor apply a change.</summary>
    public static InvoiceFacts? Read(Stripe.Invoice invoice, PlanSlug plan, BillingInterval interval)
    {
        InvoiceReason? reason = invoice.BillingReason switch
        {
            "subscription_create" => InvoiceReason.SubscriptionCreate,
            "subscription_cycle" => InvoiceReason.SubscriptionCycle,
            "subscription_update" => InvoiceReason.SubscriptionUpdate,
            _ => null,
        };
        if (reason is not { } why || SubscriptionLine(invoice) is not { Period: { } period } line) return null;
        // An update billed as a whole period (a scheduled change of interval reaching the period's end) starts that period.
        if (why == InvoiceReason.SubscriptionUpdate && !line.Parent.SubscriptionItemDetails.Proration) why = InvoiceReason.SubscriptionCycle;
        return new InvoiceFacts(invoice.Id, why, plan, interval, Utc(period.Start), Utc(period.End),
            invoice.Status == "paid" ? invoice.AmountPaid : invoice.AmountDue, invoice.Currency.ToUpperInvariant(), invoice.HostedInvoiceUrl,
            invoice.Parent?.SubscriptionDetails?.SubscriptionId, invoice.CustomerId);
    }

    /// <summary>
    /// The line that says what the invoice bills: the subscription item's line for a period; on an upgrade's proration
    /// invoice (only proration lines: a credit for the old price, a charge for the new one), the charge.
    /// </summary>
    public static InvoiceLineItem? SubscriptionLine(Stripe.Invoice invoice)
    {
        var items = (invoice.Lines?.Data ?? []).Where(l => l.Parent?.SubscriptionItemDetails is not null).ToList();
        return items.FirstOrDefault(l => !l.Parent.SubscriptionItemDetails.Proration)
               ?? items.Where(l => l.Amount > 0).MaxBy(l => l.Period?.End);
    }

    public static SubscriptionFacts Read(Stripe.Subscription subscription, bool deleted)
    {
        var status = subscription.Status switch
        {
            "trialing" => SubscriptionStatus.Trialing,
            // Unpaid: Stripe's retries ran out but it keeps the subscription; incomplete: its first payment is still owed.
            "past_due" or "unpaid" or "incomplete" => SubscriptionStatus.PastDue,
            "canceled" or "incomplete_expired" => SubscriptionStatus.Canceled,
            "paused" => SubscriptionStatus.Paused,
            _ => SubscriptionStatus.Active,
        };
        var item = subscription.Items?.Data?.FirstOrDefault();
        return new SubscriptionFacts(subscription.Id, status, subscription.CancelAtPeriodEnd,
            Ended: deleted || status == SubscriptionStatus.Canceled,
            item is null ? null : Utc(item.CurrentPeriodStart), item is null ? null : Utc(item.CurrentPeriodEnd));
    }

    /// <summary>The organization our checkout wrote into the subscription's metadata (Stripe copies it onto each invoice's parent).</summary>
    private static Guid? OrganizationOf(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.GetValueOrDefault("organization_id") is { } value && Guid.TryParse(value, out var id) ? id : null;

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
