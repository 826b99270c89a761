namespace BaseAgency.Features.RevokeApiKey;

public sealed record RevokeApiKey(Guid KeyId, Guid ActorId);

public sealed record ApiKeyRevoked(Guid KeyId);
