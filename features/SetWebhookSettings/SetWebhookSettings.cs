namespace BaseAgency.Features.SetWebhookSettings;

/// <param name="LowCreditsThreshold"><c>credits.low</c> is sent once when available credits fall below it; null sends none.</param>
public sealed record SetWebhookSettingsRequest(int? LowCreditsThreshold);

public sealed record SetWebhookSettings(Guid OrganizationId, int? LowCreditsThreshold);

public sealed record WebhookSettingsView(int? LowCreditsThreshold);
