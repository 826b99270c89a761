namespace BaseAgency.Features.OpenBillingPortal;

/// <param name="ReturnUrl">Where the portal sends the customer back; the billing page of the app when omitted.</param>
public sealed record OpenBillingPortalRequest(string? ReturnUrl = null);

public sealed record OpenBillingPortal(Guid OrganizationId, string ReturnUrl);

public sealed record BillingPortalResponse(string Url);
