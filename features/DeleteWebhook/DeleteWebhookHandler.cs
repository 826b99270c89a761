using BaseAgency.Http;
using BaseAgency.Webhooks;
using Marten;

namespace BaseAgency.Features.DeleteWebhook;

public static class DeleteWebhookHandler
{
    /// <summary>The endpoint and its delivery log go; retries still queued find no endpoint and end.</summary>
    public static async Task<Outcome<WebhookDeleted>> Handle(DeleteWebhook command, IDocumentSession session, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(command.EndpointId, ct) is null) return Problems.NotFound("The webhook");
        session.Delete<WebhookEndpoint>(command.EndpointId);
        session.DeleteWhere<WebhookDelivery>(d => d.EndpointId == command.EndpointId);
        return new WebhookDeleted(command.EndpointId);
    }
}
