using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Storage;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.UpdateGeneration;

/// <summary>Fields left out stay as they are; <c>clearProject</c> removes the project.</summary>
public sealed record UpdateGenerationRequest(IReadOnlyList<string>? Tags = null, bool? IsFavorite = null, Guid? ProjectId = null, bool ClearProject = false);

public sealed class UpdateGenerationValidator : Validator<UpdateGenerationRequest>
{
    public UpdateGenerationValidator()
    {
        this.ValidTags(x => x.Tags);
        RuleFor(x => x).Must(x => !(x.ClearProject && x.ProjectId is not null)).WithName("projectId")
            .WithMessage("Give a project or clearProject, not both.");
    }
}

/// <summary>PATCH /api/generations/{id} (member): tags, favorite, project.</summary>
public sealed class UpdateGenerationEndpoint(IDocumentSession session, IFileStore files, IOptions<GenerationOptions> options, TimeProvider clock)
    : Endpoint<UpdateGenerationRequest, Results<Ok<GenerationView>, ProblemHttpResult>>
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
        if (await session.LoadAsync<Generation>(Route<Guid>("generationId"), ct) is not { DeletedAt: null } generation)
            return Problems.NotFound("The generation");

        var updated = generation with
        {
            Tags = req.Tags?.Select(t => t.Trim()).Distinct().ToList() ?? generation.Tags,
            IsFavorite = req.IsFavorite ?? generation.IsFavorite,
            ProjectId = req.ClearProject ? null : req.ProjectId ?? generation.ProjectId,
        };
        session.Store(updated);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(GenerationView.Of(updated, files, clock.GetUtcNow() + options.Value.FileUrlLifetime));
    }
}
