using BaseAgency.Generations;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.DeleteGeneration;

/// <summary>
/// A soft delete: the item leaves the gallery and its files stop being served, but the record stays
/// (the job and the ledger refer to it).
/// </summary>
public static class DeleteGenerationHandler
{
    public static async Task<Outcome<GenerationDeleted>> Handle(DeleteGeneration command, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        if (await session.LoadAsync<Generation>(command.GenerationId, ct) is not { DeletedAt: null } generation)
            return Problems.NotFound("The generation");

        var deleted = generation with { DeletedAt = clock.GetUtcNow() };
        session.Store(deleted);
        return new GenerationDeleted(deleted.Id, deleted.DeletedAt!.Value);
    }
}
