using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.RevokeApiKey;

/// <summary>The key and any secret still in its rotation overlap stop working at once. Revoking twice is no error.</summary>
public sealed class RevokeApiKeyEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/api-keys/{keyId:guid}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("RevokeApiKey").WithSummary("Revoke an API key").WithTags("API keys").ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<ApiKeyRevoked>>(caller.Tenant, new RevokeApiKey(Route<Guid>("keyId"), caller.UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.NoContent();
    }
}
