using BaseAgency.Secrets;

namespace BaseAgency.Features.AddProviderKey;

public sealed record AddProviderKeyRequest(string Provider, string ApiKey);

/// <summary>
/// Carries the plain key, so it only ever travels in memory: the endpoint invokes it inline
/// (<c>InvokeForTenantAsync</c>), never sends or schedules it, which would write the key into the envelope
/// tables. The key prints as nothing (<see cref="Secret"/>), so no log line can carry it either.
/// </summary>
public sealed record AddProviderKey(Guid OrganizationId, Guid UserId, string Provider, Secret ApiKey);

/// <summary>What the provider said about a key when asked.</summary>
public enum KeyCheck { Accepted, Refused, Unreachable }
