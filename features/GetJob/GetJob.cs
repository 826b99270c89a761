namespace BaseAgency.Features.GetJob;

public sealed record GetJob(Guid JobId);
