namespace BaseAgency.Features.DeleteGeneration;

public sealed record DeleteGeneration(Guid GenerationId);

public sealed record GenerationDeleted(Guid GenerationId, DateTimeOffset DeletedAt);
