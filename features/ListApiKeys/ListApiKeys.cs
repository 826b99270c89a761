namespace BaseAgency.Features.ListApiKeys;

/// <summary>The keys of the tenant it is invoked for.</summary>
public sealed record ListApiKeys;
