using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Events;

/// <summary>Configuration section "Events".</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>Events older than this are deleted, so a stream resumes at most this far back (an older Last-Event-ID is 410).</summary>
    public int RetentionHours { get; set; } = 24;
}

/// <summary>Deletes the events (and their places in the feed) older than the retention window.</summary>
public sealed record PurgeEvents;

public static class PurgeEventsHandler
{
    public static void Handle(PurgeEvents command, IDocumentSession session, TimeProvider clock, IOptions<EventOptions> options)
    {
        var cutoff = clock.GetUtcNow().AddHours(-options.Value.RetentionHours);
        session.DeleteWhere<OrganizationEvent>(e => e.AnyTenant() && e.At < cutoff);
        session.QueueSqlCommand($"delete from {session.DocumentStore.Options.DatabaseSchemaName}.{EventFeed.TableName} where recorded_at < ?", cutoff);
    }
}

/// <summary>Sends <see cref="PurgeEvents"/> at start-up and then every hour, on every node (the delete is idempotent).</summary>
public sealed class EventRetention(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<EventRetention> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // Wolverine takes messages once the host has started.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult)) await started.Task.WaitAsync(stopping);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new PurgeEvents(), stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                log.LogError(error, "Could not purge old events; trying again in an hour");
            }
            await Task.Delay(TimeSpan.FromHours(1), clock, stopping);
        }
    }
}

public static class EventsSetup
{
    public static IServiceCollection AddOrganizationEvents(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<EventOptions>(config.GetSection(EventOptions.Section));
        services.AddSingleton<EventHub>();
        services.AddHostedService(sp => sp.GetRequiredService<EventHub>());
        services.AddHostedService<EventRetention>();
        return services;
    }
}
