using BaseAgency.Ledger;

namespace BaseAgency.Features.AdjustCredits;

/// <param name="Bucket">Where a positive adjustment lands: <c>promotional</c> (default) or <c>paid</c> (paid credits given back stay paid).</param>
public sealed record AdjustCreditsRequest(int Amount, string Reason, CreditKind? Bucket = null);

public sealed record AdjustCredits(Guid OrganizationId, Guid OperatorId, int Amount, string Reason, CreditKind Bucket = CreditKind.Promotional);

public sealed record AdjustCreditsResponse(Guid OrganizationId, int Amount, int Available, int Balance);
