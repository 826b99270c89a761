using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Storage;
using Marten;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.GetGeneration;

/// <summary>Links are signed afresh on every read, so a page kept open can always get working ones.</summary>
public static class GetGenerationHandler
{
    public static async Task<Outcome<GenerationView>> Handle(GetGeneration query, IQuerySession session, IFileStore files,
        IOptions<GenerationOptions> options, TimeProvider clock, CancellationToken ct) =>
        await session.LoadAsync<Generation>(query.GenerationId, ct) is { DeletedAt: null } generation
            ? GenerationView.Of(generation, files, clock.GetUtcNow() + options.Value.FileUrlLifetime)
            : Problems.NotFound("The generation");
}
