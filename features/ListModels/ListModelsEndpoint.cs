using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListModels;

/// <summary>
/// The catalog by type, with each model's price and limits, whether the organization can use
/// it (its plan, a key) and its provider's current health.
/// </summary>
public sealed class ListModelsEndpoint(IMessageBus bus) : Endpoint<ListModelsRequest, Results<Ok<ModelsResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/models");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListModels").WithSummary("Models by type: price, limits, availability, provider health").WithTags("Generations"));
    }

    public override async Task<Results<Ok<ModelsResponse>, ProblemHttpResult>> ExecuteAsync(ListModelsRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<ModelsResponse>>(caller.Tenant, new ListModels(caller.OrganizationId, req.Type), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
