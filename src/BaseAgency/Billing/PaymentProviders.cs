using BaseAgency.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Billing;

/// <summary>Where the buyer pays: the provider's reference for this checkout and the page to send them to.</summary>
public sealed record Checkout(string ProviderReference, string CheckoutUrl);

/// <summary>A way to take payment. The provider's answer comes back later (a webhook, an operator).</summary>
public interface IPaymentProvider
{
    string Name { get; }
    Task<Checkout> StartCheckoutAsync(Purchase purchase, CancellationToken ct);

    /// <summary>Recurring billing run by the provider (Stripe Billing); null when we invoice each period ourselves (manual).</summary>
    ISubscriptionBilling? Subscriptions { get; }

    /// <summary>
    /// Charges a purchase with nobody present (an auto top-up), with the payment method the customer saved with the
    /// provider. Repeating it for the same purchase charges once. Throws <see cref="PaymentProviderUnavailable"/>
    /// when the provider cannot be reached.
    /// </summary>
    /// <param name="customerId">The provider's customer (<c>Subscription.ProviderCustomerId</c>); null when there is none.</param>
    Task<OffSessionCharge> ChargeOffSessionAsync(Purchase purchase, string? customerId, CancellationToken ct);

    /// <summary>
    /// Gives a purchase's money back in full; answers the provider's reference for the refund. Idempotent per purchase.
    /// Throws <see cref="PaymentProviderUnavailable"/> (try again) or <see cref="PaymentRefused"/> (the provider said no).
    /// </summary>
    Task<string> RefundAsync(Purchase purchase, CancellationToken ct);
}

public enum OffSessionResult
{
    /// <summary>Charged: the purchase is paid.</summary>
    Paid,
    /// <summary>Accepted, the money not yet confirmed (a bank debit): the provider reports the outcome later.</summary>
    Processing,
    /// <summary>Refused (declined, needs the customer, no saved payment method): nothing was charged.</summary>
    Declined,
    /// <summary>Nothing charged: the purchase is billed like any other, for the provider's own way of being paid.</summary>
    Invoice,
}

/// <param name="ProviderReference">The provider's payment ("pi_…"), when one was made.</param>
public sealed record OffSessionCharge(OffSessionResult Result, string? ProviderReference = null, string? FailureCode = null,
    string? FailureMessage = null)
{
    public static OffSessionCharge Declined(string code, string message, string? providerReference = null) =>
        new(OffSessionResult.Declined, providerReference, code, message);

    public static readonly OffSessionCharge NoPaymentMethod = Declined("payment_method_required",
        "There is no saved payment method to charge. Add one in the billing portal, then auto top-up can buy credits.");
}

/// <summary>The payment provider refused the request for a reason that a retry will not change.</summary>
public sealed class PaymentRefused(string provider, string code, string reason)
    : Exception($"The payment provider '{provider}' refused: {reason} ({code})")
{
    public string Code { get; } = code;
    public string Reason { get; } = reason;
}

/// <summary>The provider could not be reached or failed on its side; nothing was stored, and trying again is safe.</summary>
public sealed class PaymentProviderUnavailable(string provider, Exception inner)
    : Exception($"The payment provider '{provider}' could not be reached or failed.", inner)
{
    public ProblemHttpResult ToProblem() => Problems.Of(StatusCodes.Status503ServiceUnavailable, "payment_provider_unavailable",
        "The payment provider is not available right now; nothing was charged. Try again shortly.");
}

/// <summary>
/// For self-hosting and development: no payment page; the purchase waits until an operator marks it
/// paid (POST /api/admin/purchases/{id}/mark-paid), or completes at once when configured to.
/// </summary>
public sealed class ManualPayments : IPaymentProvider
{
    public const string Id = "manual";

    public string Name => Id;

    /// <summary>Manual billing invoices each period itself, for an operator to mark paid.</summary>
    public ISubscriptionBilling? Subscriptions => null;

    public Task<Checkout> StartCheckoutAsync(Purchase purchase, CancellationToken ct) =>
        Task.FromResult(new Checkout($"manual:{purchase.Id}", $"/api/credits/purchases/{purchase.Id}"));

    /// <summary>There is no card on file here: the purchase waits for an operator, like any other (an invoice).</summary>
    public Task<OffSessionCharge> ChargeOffSessionAsync(Purchase purchase, string? customerId, CancellationToken ct) =>
        Task.FromResult(new OffSessionCharge(OffSessionResult.Invoice));

    /// <summary>The operator gives the money back by hand; the service records that they did.</summary>
    public Task<string> RefundAsync(Purchase purchase, CancellationToken ct) => Task.FromResult($"manual-refund:{purchase.Id}");
}
