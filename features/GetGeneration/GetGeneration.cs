namespace BaseAgency.Features.GetGeneration;

public sealed record GetGeneration(Guid GenerationId);
