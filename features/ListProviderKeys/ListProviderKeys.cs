namespace BaseAgency.Features.ListProviderKeys;

/// <summary>The keys of the tenant it is invoked for.</summary>
public sealed record ListProviderKeys;
