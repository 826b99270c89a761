using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Events;

/// <summary>Configuration section "Events".</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>A stream resumes at most this far back: older places in the feed are deleted (an older Last-Event-ID is 410).</summary>
    public int RetentionHours { get; set; } = 24;

    /// <summary>
    /// The events themselves are kept longer: a webhook delivery reads its event at each retry (the schedule spans about 28 h)
    /// and an admin may redeliver one by hand.
    /// </summary>
    public int KeepDays { get; set; } = 30;
}

/// <summary>Deletes places in the feed older than the resume window, and events older than they are kept; sent every hour by every node.</summary>
public sealed record PurgeEvents;

public static class PurgeEventsHandler
{
    public static void Handle(PurgeEvents command, IDocumentSession session, TimeProvider clock, IOptions<EventOptions> options)
    {
        var now = clock.GetUtcNow();
        var kept = now.AddDays(-options.Value.KeepDays);
        session.DeleteWhere<OrganizationEvent>(e => e.AnyTenant() && e.At < kept);
        session.QueueSqlCommand($"delete from {session.DocumentStore.Options.DatabaseSchemaName}.{EventFeed.TableName} where recorded_at < ?",
            now.AddHours(-options.Value.RetentionHours));
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
