using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;
using Wolverine;

namespace BaseAgency.Features.HandleStripeWebhook;

/// <summary>
/// The body is trusted only once its Stripe-Signature verifies (HMAC-SHA256 with the endpoint's secret,
/// within the tolerance). A paid session grants its purchase's credits once, however many times Stripe
/// delivers the event; unsigned, badly signed, unknown or unrelated events answer 400 and change nothing.
/// </summary>
public static class HandleStripeWebhookHandler
{
    public static async Task<Outcome<StripeWebhookResponse>> Handle(HandleStripeWebhook command, IQuerySession session, IMessageBus bus,
        IPaymentProvider provider, IOptions<StripeOptions> stripe, TimeProvider clock, ILogger<HandleStripeWebhook> log, CancellationToken ct)
    {
        if (provider.Name != StripePayments.Id || string.IsNullOrEmpty(stripe.Value.WebhookSecret))
            return Rejected("stripe_not_configured", "Stripe is not this service's payment provider.");
        if (command.Signature.Length == 0) return Rejected("missing_signature", "The Stripe-Signature header is missing.");

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(command.Payload, command.Signature, stripe.Value.WebhookSecret,
                (long)stripe.Value.WebhookTolerance.TotalSeconds, clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            // Stripe's message says which check failed (no signature for our secret, timestamp outside the tolerance).
            return Rejected("invalid_signature", "The Stripe-Signature does not verify.", e.Message);
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or System.Text.Json.JsonException)
        {
            return Rejected("malformed_event", "The event body is not a Stripe event.");
        }

        if (StripeBillingEvents.Handles(stripeEvent))
            return await StripeBillingEvents.HandleAsync(stripeEvent, session, provider, bus, log, ct);
        if (StripePayments.ReadOffSession(stripeEvent) is { } topUp) // an auto top-up's PaymentIntent: usually settled already
            return new StripeWebhookResponse(true, await bus.SettleNowAsync(topUp, ct) is { } settledNow ? Json.NameOf(settledNow.Status) : null);
        if (!StripePayments.HandledEvents.Contains(stripeEvent.Type))
            return Rejected("unsupported_event", $"Events of type '{stripeEvent.Type}' are not handled here.",
                $"Subscribe this endpoint to: {string.Join(", ", StripePayments.HandledEvents)}.");
        if (StripePayments.Read(stripeEvent) is not var (purchaseId, outcome, checkout))
            return Rejected("unknown_purchase", "The event does not name one of our purchases.");

        var found = await session.FindPurchaseAnywhereAsync(purchaseId, ct);
        if (found is null || found.ProviderReference != checkout.Id)
            return Rejected("unknown_purchase", "The event does not name one of our purchases.");
        if (outcome == PaymentOutcome.Paid && (checkout.AmountTotal != found.AmountCents ||
                                               !string.Equals(checkout.Currency, found.Currency, StringComparison.OrdinalIgnoreCase)))
        {
            log.LogError("Stripe session {SessionId} paid {Amount} {Currency}, purchase {PurchaseId} costs {Expected} {ExpectedCurrency}",
                checkout.Id, checkout.AmountTotal, checkout.Currency, found.Id, found.AmountCents, found.Currency);
            return Rejected("amount_mismatch", "The amount paid does not match the purchase.");
        }
        if (outcome is not { } settle) return new StripeWebhookResponse(true, Json.NameOf(found.Status));

        // Inline, in the purchase's organization, rather than through the outbox: the answer reports the settled state.
        var settled = await bus.InvokeForTenantAsync<Outcome<Purchase>>(Tenancy.TenantOf(found.OrganizationId),
            new Billing.SettlePurchase(found.OrganizationId, found.Id, settle, $"stripe:{stripeEvent.Id}"), ct);
        return settled.Problem is { } problem ? problem : new StripeWebhookResponse(true, Json.NameOf(settled.Value!.Status));
    }

    private static ProblemHttpResult Rejected(string code, string title, string? detail = null) => Problems.Of(400, code, title, detail);
}
