namespace BaseAgency.Features.TopUpCredits;

/// <summary>Charges a claimed top-up's purchase, after the claim committed (so only the claim's winner ever charges).</summary>
public sealed record ChargeTopUp(Guid OrganizationId, Guid PurchaseId);
