using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.DeleteGeneration;

/// <summary>
/// DELETE /api/generations/{id} (member): soft delete. The item leaves the gallery and its files stop
/// being served; the record stays (the job and the ledger refer to it).
/// </summary>
public sealed class DeleteGenerationEndpoint(IDocumentSession session, TimeProvider clock) : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/generations/{generationId:guid}");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("DeleteGeneration").WithSummary("Delete a generation (soft)").WithTags("Generations").ProducesProblem(404));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        if (await session.LoadAsync<Generation>(Route<Guid>("generationId"), ct) is not { DeletedAt: null } generation)
            return Problems.NotFound("The generation");
        session.Store(generation with { DeletedAt = clock.GetUtcNow() });
        await session.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
