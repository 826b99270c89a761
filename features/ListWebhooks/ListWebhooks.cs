namespace BaseAgency.Features.ListWebhooks;

/// <summary>The endpoints of the tenant it is invoked for.</summary>
public sealed record ListWebhooks;
