using BaseAgency.Http;
using BaseAgency.Webhooks;
using Marten;

namespace BaseAgency.Features.ListWebhookDeliveries;

public static class ListWebhookDeliveriesHandler
{
    public static async Task<Outcome<Page<WebhookDelivery>>> Handle(ListWebhookDeliveries query, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(query.EndpointId, ct) is null) return Problems.NotFound("The webhook");
        return await session.Query<WebhookDelivery>().Where(d => d.EndpointId == query.EndpointId)
            .NewestFirstAsync(query.Cursor, query.Limit, d => d.Id, d => d, ct);
    }
}
