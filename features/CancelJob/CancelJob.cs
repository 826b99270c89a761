namespace BaseAgency.Features.CancelJob;

public sealed record CancelJob(Guid OrganizationId, Guid JobId);
