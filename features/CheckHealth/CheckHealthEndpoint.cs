using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.CheckHealth;

/// <summary>The seed's health route, reporting whether the database answers.</summary>
public sealed class CheckHealthEndpoint(IMessageBus bus) : EndpointWithoutRequest<HealthResponse>
{
    public override void Configure()
    {
        Get("/health");
        AllowAnonymous();
        Description(d => d.WithName("CheckHealth").WithSummary("Service and database health").WithTags("Health")
            .Produces<HealthResponse>(200).Produces<HealthResponse>(503), clearDefaults: true);
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        // Health is the platform's, not an organization's: no tenant.
        var health = await bus.InvokeAsync<HealthResponse>(new CheckHealth(), ct);
        await Send.ResponseAsync(health, health.IsHealthy ? 200 : 503, ct);
    }
}
