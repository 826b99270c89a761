using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.TestWebhook;

/// <summary>202: a signed <c>webhook.test</c> event is on its way to the endpoint.</summary>
public sealed class TestWebhookEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Accepted<WebhookTestSent>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/webhooks/{webhookId:guid}/test");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("TestWebhook").WithSummary("Send a webhook.test event to the endpoint").WithTags("Webhooks")
            .ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Accepted<WebhookTestSent>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var webhookId = Route<Guid>("webhookId");
        var outcome = await bus.InvokeForTenantAsync<Outcome<WebhookTestSent>>(caller.Tenant, new TestWebhook(caller.OrganizationId, webhookId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Accepted($"/api/webhooks/{webhookId}/deliveries", outcome.Value);
    }
}
