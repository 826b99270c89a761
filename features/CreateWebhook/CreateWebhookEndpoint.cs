using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.CreateWebhook;

/// <summary>201 with the endpoint and its signing secret, shown once.</summary>
public sealed class CreateWebhookEndpoint(IMessageBus bus) : Endpoint<CreateWebhookRequest, Results<Created<CreatedWebhook>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/webhooks");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("CreateWebhook").WithSummary("Add a webhook endpoint (the signing secret is shown once)").WithTags("Webhooks")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(422));
    }

    public override async Task<Results<Created<CreatedWebhook>, ProblemHttpResult>> ExecuteAsync(CreateWebhookRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<CreatedWebhook>>(caller.Tenant, new CreateWebhook(caller.OrganizationId, caller.UserId, req), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Created($"/api/webhooks/{outcome.Value!.Endpoint.Id}", outcome.Value);
    }
}
