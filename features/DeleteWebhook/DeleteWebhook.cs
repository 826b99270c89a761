namespace BaseAgency.Features.DeleteWebhook;

public sealed record DeleteWebhook(Guid EndpointId);

public sealed record WebhookDeleted(Guid EndpointId);
