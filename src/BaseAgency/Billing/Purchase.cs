using BaseAgency.Organizations;

namespace BaseAgency.Billing;

public enum PurchaseKind { Credits, PlanChange }

public enum PurchaseStatus { Pending, Paid, Failed, Expired }

/// <summary>
/// Something an organization pays for once: a credit pack, or the rest of a period on a bigger plan.
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
    PlanChangeQuote? PlanChange = null) : IOrganizationOwned
{
    /// <summary>What the payment provider reported settles the purchase; repeats and late arrivals change nothing.</summary>
    public Purchase? After(PaymentOutcome outcome, DateTimeOffset now) => (outcome, Status) switch
    {
        (PaymentOutcome.Paid, PurchaseStatus.Paid) => null,
        // Money received wins over a local expiry or an earlier failure: it must buy what it paid for.
        (PaymentOutcome.Paid, _) => this with { Status = PurchaseStatus.Paid, CompletedAt = now },
        (PaymentOutcome.Failed, PurchaseStatus.Pending) => this with { Status = PurchaseStatus.Failed, CompletedAt = now },
        (PaymentOutcome.Expired, PurchaseStatus.Pending) => this with { Status = PurchaseStatus.Expired, CompletedAt = now },
        _ => null,
    };
}

/// <summary>What moving to a bigger plan costs for the rest of the current period, and the credits it adds.</summary>
public sealed record PlanChangeQuote(string FromPlan, string ToPlan, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, double ShareOfPeriod);

public enum PaymentOutcome { Paid, Failed, Expired }

public sealed record PurchaseView(
    Guid Id, PurchaseKind Kind, string Item, string Description, int Credits, decimal Amount, string Currency,
    PurchaseStatus Status, string Provider, string? CheckoutUrl, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? CompletedAt)
{
    public static PurchaseView Of(Purchase p) => new(p.Id, p.Kind, p.Item, p.Description, p.Credits, p.AmountCents / 100m,
        p.Currency, p.Status, p.Provider, p.Status == PurchaseStatus.Pending ? p.CheckoutUrl : null, p.CreatedAt, p.ExpiresAt, p.CompletedAt);
}
