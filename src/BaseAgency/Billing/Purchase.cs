using BaseAgency.Organizations;
using Marten;

namespace BaseAgency.Billing;

public enum PurchaseKind { Credits }

/// <summary>
/// <see cref="NeedsReview"/>: money arrived that does not match the price (amount or currency); its credits wait for an
/// operator, who settles it (mark-paid) or refunds it. <see cref="Refunded"/>: the money went back; nothing is granted for it.
/// </summary>
public enum PurchaseStatus { Pending, Paid, Failed, Expired, NeedsReview, Refunded }

/// <summary>What the payment provider says was paid; <paramref name="PaymentIntentId"/> is what a Stripe refund names.</summary>
public sealed record ReceivedPayment(long AmountCents, string Currency, string? PaymentIntentId);

/// <summary>
/// Something an organization pays for once: a credit pack (plans are paid by invoices, see <see cref="Invoice"/>).
/// It waits for the payment provider's word, and its credits are granted exactly once when paid.
/// </summary>
public sealed record Purchase(
    Guid Id,
    Guid OrganizationId,
    PurchaseKind Kind,
    string Item,
    string Description,
    int Credits,
    long AmountCents,
    string Currency,
    PurchaseStatus Status,
    string Provider,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? ProviderReference = null,
    string? CheckoutUrl = null,
    DateTimeOffset? CompletedAt = null,
    string? CompletedBy = null,
    ReceivedPayment? Received = null,
    string? RefundReference = null) : IOrganizationOwned
{
    /// <summary>
    /// What the payment provider (or an operator, or the expiry) reported settles the purchase, recording who
    /// said so and what was received; null when it changes nothing (repeats and late arrivals).
    /// </summary>
    public Purchase? After(PaymentOutcome outcome, string by, DateTimeOffset now, ReceivedPayment? received = null) => (outcome, Status) switch
    {
        // The money went back: a late or replayed "paid" must not grant credits nobody paid for.
        (_, PurchaseStatus.Refunded) => null,
        (PaymentOutcome.Paid, PurchaseStatus.Paid) => null,
        // Money received wins over a local expiry or an earlier failure: it must buy what it paid for.
        (PaymentOutcome.Paid, _) => this with { Status = PurchaseStatus.Paid, CompletedAt = now, CompletedBy = by, Received = received ?? Received },
        (PaymentOutcome.Mismatched, PurchaseStatus.Pending or PurchaseStatus.Failed or PurchaseStatus.Expired) =>
            this with { Status = PurchaseStatus.NeedsReview, CompletedAt = now, CompletedBy = by, Received = received },
        (PaymentOutcome.Failed, PurchaseStatus.Pending) => this with { Status = PurchaseStatus.Failed, CompletedAt = now, CompletedBy = by },
        (PaymentOutcome.Expired, PurchaseStatus.Pending) => this with { Status = PurchaseStatus.Expired, CompletedAt = now, CompletedBy = by },
        _ => null,
    };

    /// <summary>A reported payment, checked against the price: a paid amount or currency that differs is <see cref="PaymentOutcome.Mismatched"/>.</summary>
    public PaymentOutcome Judge(PaymentOutcome reported, ReceivedPayment received) =>
        reported == PaymentOutcome.Paid && (received.AmountCents != AmountCents ||
                                            !string.Equals(received.Currency, Currency, StringComparison.OrdinalIgnoreCase))
            ? PaymentOutcome.Mismatched
            : reported;

    /// <summary>The money went back to the payer; null unless money was received (paid, or waiting for review).</summary>
    public Purchase? Refunded(string reference, string by, DateTimeOffset now) => Status is PurchaseStatus.Paid or PurchaseStatus.NeedsReview
        ? this with { Status = PurchaseStatus.Refunded, RefundReference = reference, CompletedAt = now, CompletedBy = by }
        : null;
}

/// <summary><see cref="Mismatched"/>: paid, but not the purchase's amount or currency.</summary>
public enum PaymentOutcome { Paid, Failed, Expired, Mismatched }

/// <param name="Received">What was paid, as the payment provider reported it (differs from the price when it needs review).</param>
public sealed record PurchaseView(
    Guid Id, Guid OrganizationId, PurchaseKind Kind, string Item, string Description, int Credits, decimal Amount, string Currency,
    PurchaseStatus Status, string Provider, string? CheckoutUrl, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? CompletedAt, ReceivedPaymentView? Received)
{
    public static PurchaseView Of(Purchase p) => new(p.Id, p.OrganizationId, p.Kind, p.Item, p.Description, p.Credits, p.AmountCents / 100m,
        p.Currency, p.Status, p.Provider, p.Status == PurchaseStatus.Pending ? p.CheckoutUrl : null, p.CreatedAt, p.ExpiresAt, p.CompletedAt,
        p.Received is { } r ? new ReceivedPaymentView(r.AmountCents / 100m, r.Currency, r.PaymentIntentId) : null);
}

public sealed record ReceivedPaymentView(decimal Amount, string Currency, string? PaymentIntentId);

public static class PurchaseLookup
{
    /// <summary>Finds a purchase by id whichever organization it belongs to (webhooks and operators know only the id).</summary>
    public static Task<Purchase?> FindPurchaseAnywhereAsync(this IQuerySession session, Guid purchaseId, CancellationToken ct) =>
        session.Query<Purchase>().Where(p => p.AnyTenant() && p.Id == purchaseId).SingleOrDefaultAsync(ct);
}
