namespace BaseAgency.Features.UpdateWebhook;

/// <summary>Only what is given changes. <paramref name="Enabled"/> true re-enables a disabled endpoint and forgets its failures.</summary>
public sealed record UpdateWebhookRequest(string? Url = null, IReadOnlyList<string>? Events = null, string? Description = null, bool? Enabled = null);

public sealed record UpdateWebhook(Guid OrganizationId, Guid EndpointId, UpdateWebhookRequest Request);
