using BaseAgency.Organizations;
using Marten;

namespace BaseAgency.Billing;

public enum PurchaseKind { Credits }

public enum PurchaseStatus { Pending, Paid, Failed, Expired }

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
    string? CompletedBy = null) : IOrganizationOwned
{
    /// <summary>
    /// What the payment provider (or an operator, or the expiry) reported settles the purchase, recording who
    /// said so; null when it changes nothing (repeats and late arrivals).
    /// </summary>
    public Purchase? After(PaymentOutcome outcome, string by, DateTimeOffset now) => (outcome, Status) switch
    {
        (PaymentOutcome.Paid, PurchaseStatus.Paid) => null,
        // Money received wins over a local expiry or an earlier failure: it must buy what it paid for.
        (PaymentOutcome.Paid, _) => this with { Status = PurchaseStatus.Paid, CompletedAt = now, CompletedBy = by },
        (PaymentOutcome.Failed, PurchaseStatus.Pending) => this with { Status = PurchaseStatus.Failed, CompletedAt = now, CompletedBy = by },
        (PaymentOutcome.Expired, PurchaseStatus.Pending) => this with { Status = PurchaseStatus.Expired, CompletedAt = now, CompletedBy = by },
        _ => null,
    };
}

public enum PaymentOutcome { Paid, Failed, Expired }

public sealed record PurchaseView(
    Guid Id, PurchaseKind Kind, string Item, string Description, int Credits, decimal Amount, string Currency,
    PurchaseStatus Status, string Provider, string? CheckoutUrl, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? CompletedAt)
{
    public static PurchaseView Of(Purchase p) => new(p.Id, p.Kind, p.Item, p.Description, p.Credits, p.AmountCents / 100m,
        p.Currency, p.Status, p.Provider, p.Status == PurchaseStatus.Pending ? p.CheckoutUrl : null, p.CreatedAt, p.ExpiresAt, p.CompletedAt);
}

public static class PurchaseLookup
{
    /// <summary>Finds a purchase by id whichever organization it belongs to (webhooks and operators know only the id).</summary>
    public static Task<Purchase?> FindPurchaseAnywhereAsync(this IQuerySession session, Guid purchaseId, CancellationToken ct) =>
        session.Query<Purchase>().Where(p => p.AnyTenant() && p.Id == purchaseId).SingleOrDefaultAsync(ct);
}
