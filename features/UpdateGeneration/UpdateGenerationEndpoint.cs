using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.UpdateGeneration;

/// <summary>Tags, favorite, project.</summary>
public sealed class UpdateGenerationEndpoint(IMessageBus bus) : Endpoint<UpdateGenerationRequest, Results<Ok<GenerationView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/generations/{generationId:guid}");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("UpdateGeneration").WithSummary("Change a generation's tags, favorite flag or project").WithTags("Generations")
            .ProducesProblem(400).ProducesProblem(404));
    }

    public override async Task<Results<Ok<GenerationView>, ProblemHttpResult>> ExecuteAsync(UpdateGenerationRequest req, CancellationToken ct)
    {
        var outcome = await bus.InvokeForTenantAsync<Outcome<GenerationView>>(User.Required().Tenant,
            new UpdateGeneration(Route<Guid>("generationId"), req.Tags, req.IsFavorite, req.ProjectId, req.ClearProject), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
