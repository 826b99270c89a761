using BaseAgency.Http;
using BaseAgency.Webhooks;
using Marten;

namespace BaseAgency.Features.ListWebhooks;

public static class ListWebhooksHandler
{
    public static async Task<Outcome<IReadOnlyList<WebhookEndpointView>>> Handle(ListWebhooks query, IQuerySession session, CancellationToken ct)
    {
        var endpoints = await session.Query<WebhookEndpoint>().OrderByDescending(e => e.CreatedAt).ToListAsync(ct);
        return endpoints.Select(WebhookEndpointView.Of).ToList();
    }
}
