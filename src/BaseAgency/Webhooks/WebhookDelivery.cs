using BaseAgency.Organizations;
using Wolverine;

namespace BaseAgency.Webhooks;

public enum WebhookDeliveryStatus { Delivered, Failed }

/// <summary>
/// One attempt to deliver one event to one endpoint: what the receiver answered (or why nothing was sent), how long it took,
/// and when the next attempt is due if there is one.
/// </summary>
public sealed record WebhookDelivery(
    Guid Id,
    Guid EndpointId,
    Guid EventId,
    string EventType,
    int Attempt,
    bool Manual,
    WebhookDeliveryStatus Status,
    int? HttpStatus,
    long DurationMs,
    string? ResponseExcerpt,
    string? Error,
    DateTimeOffset At,
    DateTimeOffset? NextAttemptAt) : IOrganizationOwned;

/// <summary>Sends one attempt; ids only, so nothing secret sits in the queue. <see cref="Manual"/>: a redelivery by hand, not retried.</summary>
public sealed record DeliverWebhook(Guid OrganizationId, Guid EndpointId, Guid EventId, int Attempt, bool Manual = false);

public static class WebhookQueue
{
    /// <summary>Queues an attempt in the sender's transaction (its outbox), in the organization's tenant, after <paramref name="delay"/> if given.</summary>
    public static ValueTask SendAsync(this IMessageBus bus, DeliverWebhook attempt, TimeSpan? delay = null) =>
        bus.PublishAsync(attempt, new DeliveryOptions { TenantId = Tenancy.TenantOf(attempt.OrganizationId), ScheduleDelay = delay });
}
