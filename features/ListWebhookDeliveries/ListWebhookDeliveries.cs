using FastEndpoints;

namespace BaseAgency.Features.ListWebhookDeliveries;

public sealed class ListWebhookDeliveriesRequest
{
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 50;
}

public sealed record ListWebhookDeliveries(Guid EndpointId, Guid? Cursor, int Limit);
