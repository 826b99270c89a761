namespace BaseAgency.Features.MarkPurchasePaid;

public sealed record MarkPurchasePaid(Guid PurchaseId, Guid OperatorId);
