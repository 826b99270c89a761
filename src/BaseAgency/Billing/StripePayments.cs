using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace BaseAgency.Billing;

/// <summary>
/// Stripe Checkout: one Checkout Session per purchase, carrying the purchase id as
/// <c>client_reference_id</c> and in metadata; the webhook tells us when it is paid.
/// </summary>
public sealed partial class StripePayments(StripeClient stripe, IOptions<BillingOptions> billing, StripeSubscriptions subscriptions) : IPaymentProvider
{
    public const string Id = "stripe";

    public string Name => Id;

    public ISubscriptionBilling? Subscriptions => subscriptions;

    public async Task<Checkout> StartCheckoutAsync(Purchase purchase, CancellationToken ct)
    {
        var metadata = new Dictionary<string, string>
        {
            ["purchase_id"] = purchase.Id.ToString(),
            ["organization_id"] = purchase.OrganizationId.ToString(),
        };
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = purchase.Id.ToString(),
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = purchase.Currency.ToLowerInvariant(),
                        UnitAmount = purchase.AmountCents,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = purchase.Description },
                    },
                },
            ],
            SuccessUrl = billing.Value.SuccessUrl.Replace("{PURCHASE_ID}", purchase.Id.ToString()),
            CancelUrl = billing.Value.CancelUrl.Replace("{PURCHASE_ID}", purchase.Id.ToString()),
            ExpiresAt = purchase.ExpiresAt.UtcDateTime,
        };
        try
        {
            // The idempotency key makes a retried request return the same session instead of a second one.
            var session = await new SessionService(stripe).CreateAsync(options,
                new RequestOptions { IdempotencyKey = $"purchase-{purchase.Id}" }, ct);
            return new Checkout(session.Id, session.Url);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PaymentProviderUnavailable(Name, e);
        }
    }

    /// <summary>
    /// What a verified checkout.session event says about a purchase: null when it names none (a session opened by
    /// someone else); <see cref="CheckoutReport.Outcome"/> is null when it reports nothing to act on yet.
    /// </summary>
    public static CheckoutReport? Read(string eventType, Session session)
    {
        if (!Guid.TryParse(session.ClientReferenceId, out var purchaseId)) return null;
        PaymentOutcome? outcome = eventType switch
        {
            // "completed" with an unpaid status means a delayed payment method: its success comes later.
            EventTypes.CheckoutSessionCompleted => session.PaymentStatus is "paid" or "no_payment_required" ? PaymentOutcome.Paid : null,
            EventTypes.CheckoutSessionAsyncPaymentSucceeded => PaymentOutcome.Paid,
            EventTypes.CheckoutSessionAsyncPaymentFailed => PaymentOutcome.Failed,
            EventTypes.CheckoutSessionExpired => PaymentOutcome.Expired,
            _ => null,
        };
        // Only well-formed values are kept: they are stored on the purchase and shown to operators.
        var currency = session.Currency is { Length: 3 } c && c.All(char.IsAsciiLetter) ? c.ToUpperInvariant() : NoCurrency;
        var paymentIntent = session.PaymentIntentId is { Length: > 3 and <= 255 } pi && pi.StartsWith("pi_") && pi.All(IsIdChar) ? pi : null;
        return new CheckoutReport(purchaseId, session.Id, outcome, new ReceivedPayment(session.AmountTotal ?? 0, currency, paymentIntent));
    }

    /// <summary>ISO 4217's code for "no currency": what a session that names none (or nonsense) is recorded as.</summary>
    private const string NoCurrency = "XXX";

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}

/// <param name="SessionId">The Checkout Session the event is about: it must be the purchase's own.</param>
public sealed record CheckoutReport(Guid PurchaseId, string SessionId, PaymentOutcome? Outcome, ReceivedPayment Payment);
