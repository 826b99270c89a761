using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Storage;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.GetGeneration;

/// <summary>GET /api/generations/{id}: one gallery item with fresh signed links to its files.</summary>
public sealed class GetGenerationEndpoint(IQuerySession session, IFileStore files, IOptions<GenerationOptions> options, TimeProvider clock)
    : EndpointWithoutRequest<Results<Ok<GenerationView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/generations/{generationId:guid}");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetGeneration").WithSummary("A generation").WithTags("Generations").ProducesProblem(404));
    }

    public override async Task<Results<Ok<GenerationView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct) =>
        await session.LoadAsync<Generation>(Route<Guid>("generationId"), ct) is { DeletedAt: null } generation
            ? TypedResults.Ok(GenerationView.Of(generation, files, clock.GetUtcNow() + options.Value.FileUrlLifetime))
            : Problems.NotFound("The generation");
}
