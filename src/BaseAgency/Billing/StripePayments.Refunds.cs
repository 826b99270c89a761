using Stripe;

namespace BaseAgency.Billing;

public sealed partial class StripePayments
{
    /// <summary>Stripe's error code when the payment was refunded already (from the dashboard, or by a request whose answer was lost).</summary>
    private const string AlreadyRefunded = "charge_already_refunded";

    /// <summary>Refunds the purchase's PaymentIntent in full. The idempotency key makes a retry return the first refund.</summary>
    public async Task<string> RefundAsync(Purchase purchase, CancellationToken ct)
    {
        if (purchase.Received?.PaymentIntentId is not { } paymentIntent)
            throw new PaymentRefused(Name, "payment_intent_unknown", "Stripe did not report which payment this purchase was paid with.");
        try
        {
            var refund = await new RefundService(stripe).CreateAsync(
                new RefundCreateOptions { PaymentIntent = paymentIntent, Metadata = new() { ["purchase_id"] = purchase.Id.ToString() } },
                new RequestOptions { IdempotencyKey = $"refund-{purchase.Id}" }, ct);
            return refund.Id;
        }
        catch (StripeException e) when (e.StripeError?.Code == AlreadyRefunded)
        {
            return $"{AlreadyRefunded}:{paymentIntent}";
        }
        catch (StripeException e) when ((int)e.HttpStatusCode is >= 400 and < 500 and not 429)
        {
            throw new PaymentRefused(Name, e.StripeError?.Code ?? "invalid_request", e.StripeError?.Message ?? e.Message);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PaymentProviderUnavailable(Name, e);
        }
    }
}
