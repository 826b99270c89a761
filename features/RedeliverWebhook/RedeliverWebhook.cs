namespace BaseAgency.Features.RedeliverWebhook;

public sealed record RedeliverWebhook(Guid OrganizationId, Guid EndpointId, Guid DeliveryId);

public sealed record WebhookRedeliveryQueued(Guid EventId);
