using Stripe;

namespace BaseAgency.Billing;

/// <summary>
/// Auto top-ups: a PaymentIntent confirmed off-session with the customer's saved payment method, carrying the
/// purchase id in metadata; its idempotency key makes a repeated charge of one purchase return the first.
/// </summary>
public sealed partial class StripePayments
{
    private const string AutoTopUpMetadata = "auto_top_up";

    public async Task<OffSessionCharge> ChargeOffSessionAsync(Purchase purchase, string? customerId, CancellationToken ct)
    {
        try
        {
            if (customerId is null || await SavedPaymentMethodAsync(customerId, ct) is not { } paymentMethod)
                return OffSessionCharge.NoPaymentMethod;
            var intent = await new PaymentIntentService(stripe).CreateAsync(new PaymentIntentCreateOptions
            {
                Amount = purchase.AmountCents,
                Currency = purchase.Currency.ToLowerInvariant(),
                Customer = customerId,
                PaymentMethod = paymentMethod,
                OffSession = true,
                Confirm = true,
                Description = purchase.Description,
                Metadata = new Dictionary<string, string>
                {
                    ["purchase_id"] = purchase.Id.ToString(),
                    ["organization_id"] = purchase.OrganizationId.ToString(),
                    [AutoTopUpMetadata] = "true",
                },
            }, new RequestOptions { IdempotencyKey = $"topup-{purchase.Id}" }, ct);
            return intent.Status switch
            {
                "succeeded" => new(OffSessionResult.Paid, intent.Id),
                "processing" => new(OffSessionResult.Processing, intent.Id),
                // Off-session, Stripe answers a card that needs its holder with an error, not with "requires_action".
                _ => OffSessionCharge.Declined("payment_failed", $"The payment ended '{intent.Status}'.", intent.Id),
            };
        }
        catch (StripeException e) when (e.StripeError?.Type == "card_error")
        {
            // card_declined, authentication_required (the bank wants its customer present), expired_card, …
            return OffSessionCharge.Declined(e.StripeError.Code ?? "card_declined", e.StripeError.Message ?? "The card was declined.",
                e.StripeError.PaymentIntent?.Id);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PaymentProviderUnavailable(Name, e);
        }
    }

    /// <summary>
    /// The customer's default payment method, else the one saved last: Checkout in subscription mode saves the card
    /// on the subscription, not as the customer's default. Null for a customer with none, deleted or unknown.
    /// </summary>
    private async Task<string?> SavedPaymentMethodAsync(string customerId, CancellationToken ct)
    {
        try
        {
            var customer = await new CustomerService(stripe).GetAsync(customerId, cancellationToken: ct);
            if (customer.Deleted == true) return null;
            if (customer.InvoiceSettings?.DefaultPaymentMethodId is { } defaultMethod) return defaultMethod;
        }
        catch (StripeException e) when (e.StripeError?.Code == "resource_missing")
        {
            return null;
        }
        var saved = await new CustomerPaymentMethodService(stripe).ListAsync(customerId, new CustomerPaymentMethodListOptions { Limit = 1 },
            cancellationToken: ct);
        return saved.Data.FirstOrDefault()?.Id;
    }

    /// <summary>
    /// The settlement a verified <c>payment_intent.succeeded</c> / <c>payment_failed</c> event asks for, when it is
    /// about an auto top-up's PaymentIntent; null for anything else. The charge usually settled the purchase already:
    /// settling again changes nothing.
    /// </summary>
    public static SettlePurchase? ReadOffSession(Event stripeEvent)
    {
        if (stripeEvent.Data?.Object is not PaymentIntent intent || intent.Metadata?.GetValueOrDefault(AutoTopUpMetadata) != "true"
            || !Guid.TryParse(intent.Metadata.GetValueOrDefault("purchase_id"), out var purchaseId)
            || !Guid.TryParse(intent.Metadata.GetValueOrDefault("organization_id"), out var organizationId)) return null;
        PaymentOutcome? outcome = stripeEvent.Type switch
        {
            EventTypes.PaymentIntentSucceeded => PaymentOutcome.Paid,
            EventTypes.PaymentIntentPaymentFailed => PaymentOutcome.Failed,
            _ => null,
        };
        return outcome is { } settle ? new SettlePurchase(organizationId, purchaseId, settle, $"stripe:{stripeEvent.Id}") : null;
    }
}
