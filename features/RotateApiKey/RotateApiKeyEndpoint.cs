using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.RotateApiKey;

/// <summary>A new secret for the key; the old one works until the overlap ends. Only a signed-in admin may rotate (see CreateApiKey).</summary>
public sealed class RotateApiKeyEndpoint(IMessageBus bus) : Endpoint<RotateApiKeyRequest, Results<Ok<RotatedApiKey>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api-keys/{keyId:guid}/rotate");
        Policies(Identity.Policies.Admin);
        Options(b => b.SessionsOnly());
        Description(d => d.WithName("RotateApiKey").WithSummary("Give an API key a new secret").WithTags("API keys")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<RotatedApiKey>, ProblemHttpResult>> ExecuteAsync(RotateApiKeyRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<RotatedApiKey>>(caller.Tenant,
            new RotateApiKey(Route<Guid>("keyId"), req.Overlap ?? ApiKeyOptions.DefaultOverlap, caller.UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
