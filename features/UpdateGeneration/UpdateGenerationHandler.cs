using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Storage;
using Marten;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.UpdateGeneration;

public static class UpdateGenerationHandler
{
    public static async Task<Outcome<GenerationView>> Handle(UpdateGeneration command, IDocumentSession session, IFileStore files,
        IOptions<GenerationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Generation>(command.GenerationId, ct) is not { DeletedAt: null } generation)
            return Problems.NotFound("The generation");

        var updated = Apply(generation, command);
        session.Store(updated);
        return GenerationView.Of(updated, files, clock.GetUtcNow() + options.Value.FileUrlLifetime);
    }

    /// <summary>Tags are trimmed and kept once each; a field left out keeps its value.</summary>
    public static Generation Apply(Generation generation, UpdateGeneration change) => generation with
    {
        Tags = change.Tags?.Select(t => t.Trim()).Distinct().ToList() ?? generation.Tags,
        IsFavorite = change.IsFavorite ?? generation.IsFavorite,
        ProjectId = change.ClearProject ? null : change.ProjectId ?? generation.ProjectId,
    };
}
