using BaseAgency.Secrets;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Providers.Keys;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.AddProviderKey;

/// <summary>The organization's own key for a provider.</summary>
public sealed class AddProviderKeyEndpoint(IMessageBus bus) : Endpoint<AddProviderKeyRequest, Results<Created<ProviderKeyView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/provider-keys");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("AddProviderKey").WithSummary("Add the organization's own provider API key").WithTags("Provider keys")
            .ProducesProblem(400).ProducesProblem(422).ProducesProblem(503));
    }

    public override async Task<Results<Created<ProviderKeyView>, ProblemHttpResult>> ExecuteAsync(AddProviderKeyRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        // Inline on purpose: the command holds the plain key (see AddProviderKey).
        var outcome = await bus.InvokeForTenantAsync<Outcome<ProviderKeyView>>(caller.Tenant,
            new AddProviderKey(caller.OrganizationId, caller.UserId, req.Provider, new Secret(req.ApiKey)), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Created($"/api/provider-keys/{outcome.Value!.Provider}", outcome.Value);
    }
}
