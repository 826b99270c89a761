using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.DeleteWebhook;

public sealed class DeleteWebhookEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/webhooks/{webhookId:guid}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("DeleteWebhook").WithSummary("Delete a webhook endpoint and its delivery log").WithTags("Webhooks").ProducesProblem(404));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<WebhookDeleted>>(caller.Tenant, new DeleteWebhook(Route<Guid>("webhookId")), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.NoContent();
    }
}
