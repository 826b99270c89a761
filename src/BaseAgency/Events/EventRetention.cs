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

/// <summary>Deletes the events (and their places in the feed) older than the retention window; sent every hour by every node.</summary>
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

public static class EventsSetup
{
    public static IServiceCollection AddOrganizationEvents(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<EventOptions>(config.GetSection(EventOptions.Section));
        services.AddSingleton<EventHub>();
        services.AddHostedService(sp => sp.GetRequiredService<EventHub>());
        return services;
    }
}
