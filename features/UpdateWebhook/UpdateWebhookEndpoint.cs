using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Webhooks;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.UpdateWebhook;

/// <summary>Changes the URL, events or description, or switches the endpoint off and on.</summary>
public sealed class UpdateWebhookEndpoint(IMessageBus bus) : Endpoint<UpdateWebhookRequest, Results<Ok<WebhookEndpointView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/webhooks/{webhookId:guid}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("UpdateWebhook").WithSummary("Change a webhook endpoint; enabling it again resets its failures").WithTags("Webhooks")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(422));
    }

    public override async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> ExecuteAsync(UpdateWebhookRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<WebhookEndpointView>>(caller.Tenant,
            new UpdateWebhook(caller.OrganizationId, Route<Guid>("webhookId"), req), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
