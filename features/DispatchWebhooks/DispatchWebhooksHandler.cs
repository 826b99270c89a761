using BaseAgency.Events;
using BaseAgency.Plans;
using BaseAgency.Webhooks;
using Marten;
using Wolverine;

namespace BaseAgency.Features.DispatchWebhooks;

/// <summary>
/// An event was recorded: one durable delivery per enabled endpoint of the organization subscribed to its type, while the
/// plan includes webhooks. Each delivery is retried on its own, so one slow receiver never holds back another.
/// </summary>
public static class DispatchWebhooksHandler
{
    public static async Task Handle(OrganizationEventRecorded recorded, IDocumentSession session, IMessageContext bus, CancellationToken ct)
    {
        var endpoints = await session.Query<WebhookEndpoint>()
            .Where(e => e.Enabled && e.Events.Contains(recorded.Type))
            .Select(e => e.Id)
            .ToListAsync(ct);
        if (endpoints.Count == 0) return;
        var (_, plan) = await session.CurrentPlanAsync(recorded.OrganizationId, ct);
        if (!plan.Features.Webhooks) return;
        foreach (var endpoint in endpoints)
            await bus.SendAsync(new Webhooks.DeliverWebhook(recorded.OrganizationId, endpoint, recorded.EventId, 1));
    }
}
