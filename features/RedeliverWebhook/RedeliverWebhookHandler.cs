using BaseAgency.Http;
using BaseAgency.Plans;
using BaseAgency.Webhooks;
using Marten;
using Wolverine;

namespace BaseAgency.Features.RedeliverWebhook;

public static class RedeliverWebhookHandler
{
    /// <summary>The attempt's event again, same <c>webhook-id</c>, tried once more by hand (not retried on failure).</summary>
    public static async Task<Outcome<WebhookRedeliveryQueued>> Handle(RedeliverWebhook command, IDocumentSession session, IMessageContext bus,
        CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(command.EndpointId, ct) is not { } endpoint) return Problems.NotFound("The webhook");
        if (await session.LoadAsync<WebhookDelivery>(command.DeliveryId, ct) is not { } delivery || delivery.EndpointId != endpoint.Id)
            return Problems.NotFound("The delivery");
        if (!endpoint.Enabled) return WebhookRules.Disabled();
        if (WebhookRules.PlanRefusal((await session.CurrentPlanAsync(command.OrganizationId, ct)).Plan) is { } refused) return refused;
        await bus.SendAsync(new Webhooks.DeliverWebhook(command.OrganizationId, endpoint.Id, delivery.EventId, delivery.Attempt + 1, Manual: true));
        return new WebhookRedeliveryQueued(delivery.EventId);
    }
}
