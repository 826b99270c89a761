namespace BaseAgency.Features.GetPurchase;

/// <summary>Run for the caller's organization, whose session sees its own purchases only.</summary>
public sealed record GetPurchase(Guid PurchaseId);
