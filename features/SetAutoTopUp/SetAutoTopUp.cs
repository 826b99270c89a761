namespace BaseAgency.Features.SetAutoTopUp;

public sealed record SetAutoTopUpRequest(bool Enabled, int ThresholdCredits, string PackId);

public sealed record SetAutoTopUp(Guid OrganizationId, Guid UserId, bool Enabled, int ThresholdCredits, string PackId);
