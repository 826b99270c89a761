using System.Text;
using System.Text.Json;
using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using Wolverine;

namespace BaseAgency.Features.HandleStripeWebhook;

/// <summary>
/// Verify, parse, dispatch. The body is trusted only once its Stripe-Signature verifies (HMAC-SHA256 with the
/// endpoint's secret, within the tolerance), so 400 means a bad signature or a body that is not a Stripe event, and
/// nothing else: every correctly signed event answers 200, also one we do not act on or about an object we do not
/// know, because Stripe retries any other answer for days and then disables the endpoint. A paid session grants its
/// purchase's credits once however often it is delivered; one whose amount or currency is not the price waits for an operator.
/// </summary>
public static class HandleStripeWebhookHandler
{
    public static async Task<Outcome<StripeWebhookResponse>> Handle(HandleStripeWebhook command, IQuerySession session, IMessageBus bus,
        IPaymentProvider provider, IOptions<StripeOptions> stripe, TimeProvider clock, ILogger<HandleStripeWebhook> log, CancellationToken ct)
    {
        if (provider.Name != StripePayments.Id || string.IsNullOrEmpty(stripe.Value.WebhookSecret))
            return Rejected("stripe_not_configured", "Stripe is not this service's payment provider.");
        if (command.Signature.Length == 0) return Rejected("missing_signature", "The Stripe-Signature header is missing.");

        // Lossy decoding is safe here: a byte that is not UTF-8 becomes U+FFFD, which encodes to other bytes, so the signature fails.
        var payload = Encoding.UTF8.GetString(command.Payload);
        if (Verify(payload, command.Signature, stripe.Value, clock) is { } invalid) return invalid;
        if (Parse(payload, log) is not { } stripeEvent)
            return Rejected("malformed_event", "The body is not a Stripe event.", "An event is a JSON object with an id, a type and data.object.");

        // The one place events are routed, by the kind of object they are about.
        return stripeEvent.Data.Object switch
        {
            // Stripe Billing: a subscription's invoices and changes (and its checkout, read and left alone).
            _ when StripeBillingEvents.Handles(stripeEvent) => await StripeBillingEvents.HandleAsync(stripeEvent, session, provider, bus, log, ct),
            Session checkout => await CheckoutAsync(stripeEvent, checkout, session, bus, log, ct),
            // An auto top-up's PaymentIntent, usually settled already when it was charged.
            PaymentIntent when StripePayments.ReadOffSession(stripeEvent) is { } topUp =>
                new StripeWebhookResponse(true, await bus.SettleNowAsync(topUp, ct) is { } settled ? Json.NameOf(settled.Status) : null),
            _ => Ignored(stripeEvent, "Not an event this service acts on.", log),
        };
    }

    private static async Task<Outcome<StripeWebhookResponse>> CheckoutAsync(Event stripeEvent, Session checkout, IQuerySession session,
        IMessageBus bus, ILogger log, CancellationToken ct)
    {
        if (StripePayments.Read(stripeEvent.Type, checkout) is not { } report
            || await session.FindPurchaseAnywhereAsync(report.PurchaseId, ct) is not { } purchase
            || purchase.ProviderReference != report.SessionId)
            return Ignored(stripeEvent, "The session is not one of this service's purchases.", log);
        if (report.Outcome is not { } reported)
        {
            log.LogInformation("Stripe event {EventId} ({EventType}): nothing to act on yet for purchase {PurchaseId}", stripeEvent.Id,
                stripeEvent.Type, purchase.Id);
            return new StripeWebhookResponse(true, Json.NameOf(purchase.Status));
        }

        var outcome = purchase.Judge(reported, report.Payment);
        if (outcome == PaymentOutcome.Mismatched)
            log.LogError("Stripe session {SessionId} paid {Amount} {Currency} but purchase {PurchaseId} costs {Price} {PriceCurrency}: " +
                         "it needs review, no credits granted (event {EventId})", report.SessionId, report.Payment.AmountCents,
                report.Payment.Currency, purchase.Id, purchase.AmountCents, purchase.Currency, stripeEvent.Id);

        // Inline, in the purchase's organization, rather than through the outbox: the answer reports the settled state.
        var settled = await bus.InvokeForTenantAsync<Outcome<Purchase>>(Tenancy.TenantOf(purchase.OrganizationId),
            new Billing.SettlePurchase(purchase.OrganizationId, purchase.Id, outcome, $"stripe:{stripeEvent.Id}", Received: report.Payment), ct);
        if (settled.Value is not { } after) return Ignored(stripeEvent, "The purchase no longer exists.", log);
        log.LogInformation("Stripe event {EventId} ({EventType}): purchase {PurchaseId} is {Status}", stripeEvent.Id, stripeEvent.Type,
            after.Id, after.Status);
        return new StripeWebhookResponse(true, Json.NameOf(after.Status));
    }

    private static ProblemHttpResult? Verify(string payload, string signature, StripeOptions stripe, TimeProvider clock)
    {
        try
        {
            EventUtility.ValidateSignature(payload, signature, stripe.WebhookSecret, (long)stripe.WebhookTolerance.TotalSeconds,
                clock.GetUtcNow().ToUnixTimeSeconds());
            return null;
        }
        catch (StripeException e)
        {
            // Stripe's message says which check failed (no signature for our secret, timestamp outside the tolerance).
            return Rejected("invalid_signature", "The Stripe-Signature does not verify.", e.Message);
        }
    }

    /// <summary>
    /// The shape is checked first: Stripe.net reads a <c>data</c> that is null or missing as an event without an object
    /// (which would fail later) and throws on one that is an array.
    /// </summary>
    private static Event? Parse(string payload, ILogger log)
    {
        try
        {
            using (var json = JsonDocument.Parse(payload))
                if (!IsEvent(json.RootElement)) return null;
            return EventUtility.ParseEvent(payload, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Parsing is pure: whatever Stripe.net throws on a signed body it cannot read, the answer is that it is not an event.
            log.LogWarning("A signed Stripe webhook body could not be read as an event ({Error})", e.GetType().Name);
            return null;
        }
    }

    private static bool IsEvent(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0
        && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString()!.Length > 0
        && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("object", out var subject) && subject.ValueKind == JsonValueKind.Object;

    private static StripeWebhookResponse Ignored(Event stripeEvent, string why, ILogger log)
    {
        log.LogInformation("Stripe event {EventId} ({EventType}) acknowledged and ignored: {Reason}", stripeEvent.Id, stripeEvent.Type, why);
        return new StripeWebhookResponse(true, Ignored: why);
    }

    private static ProblemHttpResult Rejected(string code, string title, string? detail = null) => Problems.Of(400, code, title, detail);
}
