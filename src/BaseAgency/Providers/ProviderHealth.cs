using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace BaseAgency.Providers;

public enum ProviderHealthStatus { Healthy, Degraded, Down, NotConfigured }

/// <summary>
/// Each provider's health as its HTTP calls see it: the resilience pipeline's circuit breaker (open = down,
/// until its break ends) and the outcome of recent generations (a failure in the last minutes = degraded).
/// </summary>
public sealed class ProviderHealth(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastFailure = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _openUntil = new();

    public CircuitBreakerStateProvider CircuitOf(string provider) => _circuits.GetOrAdd(provider, _ => new CircuitBreakerStateProvider());

    /// <summary>The circuit opened: calls fail fast until the break ends (then one is let through to test it).</summary>
    public void Opened(string provider, TimeSpan breakDuration) => _openUntil[provider] = clock.GetUtcNow() + breakDuration;

    public void Closed(string provider) => _openUntil.TryRemove(provider, out _);

    public void Failed(string provider) => _lastFailure[provider] = clock.GetUtcNow();

    public void Succeeded(string provider) => _lastFailure.TryRemove(provider, out _);

    public ProviderHealthStatus StatusOf(string provider)
    {
        if (_circuits.TryGetValue(provider, out var circuit) && circuit.CircuitState == CircuitState.Isolated) return ProviderHealthStatus.Down;
        if (_openUntil.TryGetValue(provider, out var until) && until > clock.GetUtcNow()) return ProviderHealthStatus.Down;
        return _lastFailure.TryGetValue(provider, out var at) && clock.GetUtcNow() - at < TimeSpan.FromMinutes(5)
            ? ProviderHealthStatus.Degraded
            : ProviderHealthStatus.Healthy;
    }
}
