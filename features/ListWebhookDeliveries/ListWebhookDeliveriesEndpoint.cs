using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Webhooks;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListWebhookDeliveries;

/// <summary>Every attempt, newest first: status, the receiver's answer and an excerpt of it, duration, the next attempt.</summary>
public sealed class ListWebhookDeliveriesEndpoint(IMessageBus bus)
    : Endpoint<ListWebhookDeliveriesRequest, Results<Ok<Page<WebhookDelivery>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/webhooks/{webhookId:guid}/deliveries");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ListWebhookDeliveries").WithSummary("A webhook's delivery attempts, newest first (cursor pagination)")
            .WithTags("Webhooks").ProducesProblem(400).ProducesProblem(404));
    }

    public override async Task<Results<Ok<Page<WebhookDelivery>>, ProblemHttpResult>> ExecuteAsync(ListWebhookDeliveriesRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<Page<WebhookDelivery>>>(caller.Tenant,
            new ListWebhookDeliveries(Route<Guid>("webhookId"), req.Cursor, req.Limit), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
