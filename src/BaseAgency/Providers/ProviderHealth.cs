using System.Collections.Concurrent;
using BaseAgency.Providers.Keys;
using Polly.CircuitBreaker;

namespace BaseAgency.Providers;

public enum ProviderHealthStatus { Healthy, Degraded, Down, NotConfigured }

/// <summary>
/// Each credential's health at each provider as its HTTP calls see it: the resilience pipeline's circuit breaker
/// (open = down, until its break ends) and the outcome of recent generations (a failure in the last minutes =
/// degraded). A credential is the platform's key or one organization's own (<see cref="ProviderCredential"/>), so
/// one customer's failing key never takes a provider down for the others. A provider's public health is its
/// platform key's.
/// </summary>
public sealed class ProviderHealth(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Provider, string Credential), CircuitBreakerStateProvider> _circuits = new();
    private readonly ConcurrentDictionary<(string Provider, string Credential), DateTimeOffset> _lastFailure = new();
    private readonly ConcurrentDictionary<(string Provider, string Credential), DateTimeOffset> _openUntil = new();

    public CircuitBreakerStateProvider CircuitOf(string provider, string credential) =>
        _circuits.GetOrAdd((provider, credential), _ => new CircuitBreakerStateProvider());

    /// <summary>The circuit opened: calls fail fast until the break ends (then one is let through to test it).</summary>
    public void Opened(string provider, string credential, TimeSpan breakDuration) => _openUntil[(provider, credential)] = clock.GetUtcNow() + breakDuration;

    public void Closed(string provider, string credential) => _openUntil.TryRemove((provider, credential), out _);

    public void Failed(string provider, string credential) => _lastFailure[(provider, credential)] = clock.GetUtcNow();

    public void Succeeded(string provider, string credential) => _lastFailure.TryRemove((provider, credential), out _);

    public ProviderHealthStatus StatusOf(string provider, string credential = ProviderCredential.PlatformId)
    {
        var key = (provider, credential);
        if (_circuits.TryGetValue(key, out var circuit) && circuit.CircuitState == CircuitState.Isolated) return ProviderHealthStatus.Down;
        if (_openUntil.TryGetValue(key, out var until) && until > clock.GetUtcNow()) return ProviderHealthStatus.Down;
        return _lastFailure.TryGetValue(key, out var at) && clock.GetUtcNow() - at < TimeSpan.FromMinutes(5)
            ? ProviderHealthStatus.Degraded
            : ProviderHealthStatus.Healthy;
    }
}
