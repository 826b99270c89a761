namespace BaseAgency.Features.HandleStripeWebhook;

/// <param name="Payload">The body exactly as received: the signature covers its bytes.</param>
/// <param name="Signature">The Stripe-Signature header; empty when missing.</param>
public sealed record HandleStripeWebhook(string Payload, string Signature);

public sealed record StripeWebhookResponse(bool Received, string? PurchaseStatus = null);
