using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Providers.Keys;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListProviderKeys;

/// <summary>The organization's own keys: hint, validity, last validated and used, requests.</summary>
public sealed class ListProviderKeysEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<IReadOnlyList<ProviderKeyView>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/provider-keys");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ListProviderKeys").WithSummary("The organization's own provider keys (hints only)").WithTags("Provider keys"));
    }

    public override async Task<Results<Ok<IReadOnlyList<ProviderKeyView>>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<IReadOnlyList<ProviderKeyView>>>(caller.Tenant,
            new ListProviderKeys(), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
