using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Webhooks;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListWebhooks;

/// <summary>The organization's webhook endpoints, newest first, with their health; never a secret.</summary>
public sealed class ListWebhooksEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<IReadOnlyList<WebhookEndpointView>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/webhooks");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ListWebhooks").WithSummary("The organization's webhook endpoints").WithTags("Webhooks"));
    }

    public override async Task<Results<Ok<IReadOnlyList<WebhookEndpointView>>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<IReadOnlyList<WebhookEndpointView>>>(caller.Tenant, new ListWebhooks(), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
