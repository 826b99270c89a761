using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.RedeliverWebhook;

/// <summary>202: the delivery's event is sent to the endpoint again.</summary>
public sealed class RedeliverWebhookEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Accepted<WebhookRedeliveryQueued>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/webhooks/{webhookId:guid}/deliveries/{deliveryId:guid}/redeliver");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("RedeliverWebhook").WithSummary("Send a delivery's event to the endpoint again").WithTags("Webhooks")
            .ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Accepted<WebhookRedeliveryQueued>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var webhookId = Route<Guid>("webhookId");
        var outcome = await bus.InvokeForTenantAsync<Outcome<WebhookRedeliveryQueued>>(caller.Tenant,
            new RedeliverWebhook(caller.OrganizationId, webhookId, Route<Guid>("deliveryId")), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Accepted($"/api/webhooks/{webhookId}/deliveries", outcome.Value);
    }
}
