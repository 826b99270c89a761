namespace BaseAgency.Features.HandleStripeWebhook;

/// <param name="Payload">The body's bytes exactly as received: the signature covers them.</param>
/// <param name="Signature">The Stripe-Signature header; empty when missing.</param>
public sealed record HandleStripeWebhook(byte[] Payload, string Signature);

/// <param name="PurchaseStatus">The purchase's state after a checkout event about it.</param>
/// <param name="Ignored">Why a signed event changed nothing (shown in Stripe's delivery log).</param>
public sealed record StripeWebhookResponse(bool Received, string? PurchaseStatus = null, string? Ignored = null);
