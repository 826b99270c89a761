namespace BaseAgency.Features.GetAutoTopUp;

public sealed record GetAutoTopUp(Guid OrganizationId);
