using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.RotateWebhookSecret;

/// <summary>A new signing secret, shown once; the old one keeps signing alongside it for the overlap (Webhooks:RotationOverlap).</summary>
public sealed class RotateWebhookSecretEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<RotatedWebhookSecret>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/webhooks/{webhookId:guid}/rotate-secret");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("RotateWebhookSecret").WithSummary("Rotate a webhook's signing secret (shown once)").WithTags("Webhooks")
            .ProducesProblem(404));
    }

    public override async Task<Results<Ok<RotatedWebhookSecret>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<RotatedWebhookSecret>>(caller.Tenant, new RotateWebhookSecret(Route<Guid>("webhookId")), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
