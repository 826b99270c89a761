using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListApiKeys;

/// <summary>The organization's keys, newest first: prefix, scopes, limits, last use; never a secret.</summary>
public sealed class ListApiKeysEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<IReadOnlyList<ApiKeyView>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/api-keys");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ListApiKeys").WithSummary("The organization's API keys (prefixes only)").WithTags("API keys"));
    }

    public override async Task<Results<Ok<IReadOnlyList<ApiKeyView>>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<IReadOnlyList<ApiKeyView>>>(caller.Tenant, new ListApiKeys(), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
