namespace BaseAgency.Features.AdjustCredits;

public sealed record AdjustCreditsRequest(int Amount, string Reason);

public sealed record AdjustCredits(Guid OrganizationId, Guid OperatorId, int Amount, string Reason);

public sealed record AdjustCreditsResponse(Guid OrganizationId, int Amount, int Available, int Balance);
