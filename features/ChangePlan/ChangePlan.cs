using BaseAgency.Billing;
using BaseAgency.Plans;

namespace BaseAgency.Features.ChangePlan;

/// <param name="Interval">Monthly or yearly billing; the current one when omitted (monthly from Free).</param>
public sealed record ChangePlanRequest(PlanSlug Plan, BillingInterval? Interval = null);

public sealed record ChangePlan(Guid OrganizationId, Guid UserId, PlanSlug Plan, BillingInterval? Interval);

public enum PlanChangeStatus { Changed, PaymentRequired, Scheduled, PendingChangeCanceled }

/// <param name="ExtraCredits">The credits the change adds once paid (for the rest of the period, or the new period's).</param>
/// <param name="Invoice">The invoice to pay (manual billing).</param>
/// <param name="CheckoutUrl">Where to pay: the provider's checkout, or the invoice.</param>
public sealed record ChangePlanResponse(PlanChangeStatus Status, PlanSlug Plan, BillingInterval Interval, PlanSlug? PendingPlan,
    DateTimeOffset? EffectiveAt, int ExtraCredits, long? AmountCents, InvoiceView? Invoice, string? CheckoutUrl);

/// <summary>The handler's answer, and the invoice payment the endpoint records once it is committed (Development pays at once).</summary>
public sealed record PlanChangeAnswer(ChangePlanResponse Response, Billing.RecordInvoicePaid? PayNow);
