namespace BaseAgency.Features.TestWebhook;

public sealed record TestWebhook(Guid OrganizationId, Guid EndpointId);

/// <param name="EventId">The <c>webhook-id</c> the receiver will see; the attempt appears in the endpoint's deliveries.</param>
public sealed record WebhookTestSent(Guid EventId);
