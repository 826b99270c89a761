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
    /// Gives a purchase's money back in full; answers the provider's reference for the refund. Idempotent per purchase.
    /// Throws <see cref="PaymentProviderUnavailable"/> (try again) or <see cref="PaymentRefused"/> (the provider said no).
    /// </summary>
    Task<string> RefundAsync(Purchase purchase, CancellationToken ct);
}

/// <summary>The payment provider refused the request for a reason that a retry will not change.</summary>
public sealed class PaymentRefused(string provider, string code, string reason)
    : Exception($"The payment provider '{provider}' refused: {reason} ({code})")
{
    public string Code { get; } = code;
    public string Reason { get; } = reason;
}

/// <summary>The provider could not be reached or refused to open a checkout; nothing was stored.</summary>
public sealed class PaymentProviderUnavailable(string provider, Exception inner)
    : Exception($"The payment provider '{provider}' could not open a checkout.", inner)
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

    /// <summary>The operator gives the money back by hand; the service records that they did.</summary>
    public Task<string> RefundAsync(Purchase purchase, CancellationToken ct) => Task.FromResult($"manual-refund:{purchase.Id}");
}
