namespace BaseAgency.Features.DeleteProviderKey;

public sealed record DeleteProviderKey(string Provider);

public sealed record ProviderKeyDeleted(string Provider);
