namespace BaseAgency.Features.VerifyLedger;

public sealed record VerifyLedger(Guid OrganizationId);

public sealed record LedgerVerification(bool Consistent, IReadOnlyList<string> Differences, long Events, int Balance);
