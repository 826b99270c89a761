using BaseAgency.Http;
using BaseAgency.Ledger;

namespace BaseAgency.Features.AdjustCredits;

/// <param name="Bucket">Where a positive adjustment lands: <c>promotional</c> (default) or <c>paid</c> (paid credits given back stay paid).</param>
public sealed record AdjustCreditsRequest(int Amount, string Reason, CreditKind? Bucket = null);

/// <param name="Idempotency">The request's Idempotency-Key and fingerprint, kept on the ledger line so a retry of the same request
/// adjusts once even after the key's stored answer is gone (like a generation job keeps its key).</param>
public sealed record AdjustCredits(Guid OrganizationId, Guid OperatorId, int Amount, string Reason, CreditKind Bucket = CreditKind.Promotional,
    IdempotentRequest? Idempotency = null);

public sealed record AdjustCreditsResponse(Guid OrganizationId, int Amount, int Available, int Balance);
