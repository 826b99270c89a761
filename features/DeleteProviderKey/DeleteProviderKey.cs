namespace BaseAgency.Features.DeleteProviderKey;

public sealed record DeleteProviderKey(string Provider, Guid ActorId);

public sealed record ProviderKeyDeleted(string Provider);
