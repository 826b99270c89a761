using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.CreateApiKey;

/// <summary>
/// 201 with the key's secret, shown once. Only a signed-in admin may make keys: a key that could mint keys
/// would outlive its own revocation.
/// </summary>
public sealed class CreateApiKeyEndpoint(IMessageBus bus) : Endpoint<CreateApiKeyRequest, Results<Created<CreatedApiKey>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/api-keys");
        Policies(Identity.Policies.Admin);
        Options(b => b.SessionsOnly());
        Description(d => d.WithName("CreateApiKey").WithSummary("Create an API key (the secret is shown once)").WithTags("API keys")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(422));
    }

    public override async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> ExecuteAsync(CreateApiKeyRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<CreatedApiKey>>(caller.Tenant,
            new CreateApiKey(caller.OrganizationId, caller.UserId, req), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Created($"/api/api-keys/{outcome.Value!.Key.Id}", outcome.Value);
    }
}
