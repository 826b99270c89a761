using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.DeleteGeneration;

/// <summary>Soft delete.</summary>
public sealed class DeleteGenerationEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/generations/{generationId:guid}");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("DeleteGeneration").WithSummary("Delete a generation (soft)").WithTags("Generations").ProducesProblem(404));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var outcome = await bus.InvokeForTenantAsync<Outcome<GenerationDeleted>>(User.Required().Tenant,
            new DeleteGeneration(Route<Guid>("generationId")), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.NoContent();
    }
}
