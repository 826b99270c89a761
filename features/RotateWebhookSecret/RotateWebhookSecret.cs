namespace BaseAgency.Features.RotateWebhookSecret;

public sealed record RotateWebhookSecret(Guid EndpointId);

/// <param name="Secret">The new signing secret, shown this once.</param>
/// <param name="PreviousSecretUntil">Until then deliveries carry a signature with the old secret too.</param>
public sealed record RotatedWebhookSecret(Guid EndpointId, string Secret, DateTimeOffset PreviousSecretUntil);
