namespace BaseAgency.Features.RefundPurchase;

/// <summary>An operator gives a purchase's money back; found by id in whichever organization it belongs to.</summary>
public sealed record RefundPurchase(Guid PurchaseId, Guid OperatorId);

/// <summary>The refund itself, handled in the purchase's organization (its purchase, ledger and transaction).</summary>
public sealed record RefundOrganizationPurchase(Guid OrganizationId, Guid PurchaseId, Guid OperatorId);
