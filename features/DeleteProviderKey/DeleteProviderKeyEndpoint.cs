using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.DeleteProviderKey;

/// <summary>Forget the organization's key; jobs use the platform's again.</summary>
public sealed class DeleteProviderKeyEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/provider-keys/{provider}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("DeleteProviderKey").WithSummary("Delete the organization's key for a provider").WithTags("Provider keys").ProducesProblem(404));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<ProviderKeyDeleted>>(caller.Tenant,
            new DeleteProviderKey(Route<string>("provider")!, caller.UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.NoContent();
    }
}
