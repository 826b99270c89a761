using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;

namespace BaseAgency.Features.HandleStripeWebhook;

public sealed record StripeWebhookResponse(bool Received, string? PurchaseStatus = null);

/// <summary>
/// POST /api/billing/webhooks/stripe: Stripe reports checkout sessions here. The body is trusted only
/// once its Stripe-Signature verifies (HMAC-SHA256 with the endpoint's secret, within the tolerance).
/// A paid session grants its purchase's credits once, however many times Stripe delivers the event;
/// unsigned, badly signed, unknown or unrelated events answer 400 and change nothing.
/// </summary>
public sealed class HandleStripeWebhookEndpoint(IDocumentStore store, Purchases purchases, IOptions<StripeOptions> stripe, TimeProvider clock)
    : EndpointWithoutRequest<Results<Ok<StripeWebhookResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/billing/webhooks/stripe");
        AllowAnonymous();
        Description(d => d.WithName("HandleStripeWebhook").WithSummary("Stripe webhook (signed by Stripe)").WithTags("Billing")
            .ProducesProblem(400));
    }

    public override async Task<Results<Ok<StripeWebhookResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        if (purchases.ProviderName != "stripe" || string.IsNullOrEmpty(stripe.Value.WebhookSecret))
            return Rejected("stripe_not_configured", "Stripe is not this service's payment provider.");
        var signature = HttpContext.Request.Headers["Stripe-Signature"].ToString();
        if (signature.Length == 0) return Rejected("missing_signature", "The Stripe-Signature header is missing.");

        using var reader = new StreamReader(HttpContext.Request.Body);
        var payload = await reader.ReadToEndAsync(ct);
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, signature, stripe.Value.WebhookSecret,
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

        if (!StripePayments.HandledEvents.Contains(stripeEvent.Type))
            return Rejected("unsupported_event", $"Events of type '{stripeEvent.Type}' are not handled here.",
                $"Subscribe this endpoint to: {string.Join(", ", StripePayments.HandledEvents)}.");
        if (StripePayments.Read(stripeEvent) is not var (purchaseId, outcome, session))
            return Rejected("unknown_purchase", "The event does not name one of our purchases.");

        var found = await Purchases.FindAnywhereAsync(store, purchaseId, ct);
        if (found is null || found.ProviderReference != session.Id)
            return Rejected("unknown_purchase", "The event does not name one of our purchases.");
        if (outcome == PaymentOutcome.Paid && (session.AmountTotal != found.AmountCents ||
                                               !string.Equals(session.Currency, found.Currency, StringComparison.OrdinalIgnoreCase)))
        {
            Logger.LogError("Stripe session {SessionId} paid {Amount} {Currency}, purchase {PurchaseId} costs {Expected} {ExpectedCurrency}",
                session.Id, session.AmountTotal, session.Currency, found.Id, found.AmountCents, found.Currency);
            return Rejected("amount_mismatch", "The amount paid does not match the purchase.");
        }
        if (outcome is not { } settled) return TypedResults.Ok(new StripeWebhookResponse(true, ViewOf(found.Status)));

        await using var tenant = store.SessionFor(found.OrganizationId);
        var purchase = (await tenant.LoadAsync<Purchase>(found.Id, ct))!;
        var after = await purchases.SettleAsync(tenant, purchase, settled, $"stripe:{stripeEvent.Id}", ct);
        await tenant.SaveChangesAsync(ct);
        return TypedResults.Ok(new StripeWebhookResponse(true, ViewOf(after.Status)));
    }

    private static string ViewOf(PurchaseStatus status) => Json.EnumNaming.ConvertName(status.ToString());

    private static ProblemHttpResult Rejected(string code, string title, string? detail = null) => Problems.Of(400, code, title, detail);
}
