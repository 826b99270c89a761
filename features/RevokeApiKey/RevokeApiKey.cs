namespace BaseAgency.Features.RevokeApiKey;

public sealed record RevokeApiKey(Guid KeyId);

public sealed record ApiKeyRevoked(Guid KeyId);
