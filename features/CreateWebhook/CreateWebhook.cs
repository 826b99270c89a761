using BaseAgency.Webhooks;

namespace BaseAgency.Features.CreateWebhook;

/// <param name="Url">Where events are POSTed: https outside development, no user name or password in it.</param>
/// <param name="Events">The event types to send, e.g. <c>generation.completed</c>.</param>
public sealed record CreateWebhookRequest(string Url, IReadOnlyList<string> Events, string? Description = null);

public sealed record CreateWebhook(Guid OrganizationId, Guid UserId, CreateWebhookRequest Request);

/// <param name="Secret">The signing secret (<c>whsec_…</c>). Shown this once: it is kept sealed.</param>
public sealed record CreatedWebhook(WebhookEndpointView Endpoint, string Secret);
