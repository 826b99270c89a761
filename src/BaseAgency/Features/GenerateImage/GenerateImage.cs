using BaseAgency.Generations;
using BaseAgency.Identity;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace BaseAgency.Features.GenerateImage;

public sealed record GenerateImageRequest(
    string Prompt,
    string? NegativePrompt = null,
    string? Provider = null,
    string? Model = null,
    string? Style = null,
    string? AspectRatio = null,
    int? Width = null,
    int? Height = null,
    long? Seed = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false);

public sealed class GenerateImageValidator : Validator<GenerateImageRequest>
{
    public GenerateImageValidator()
    {
        RuleFor(x => x.Prompt).NotEmpty().MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.NegativePrompt).MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.Style).MaximumLength(100);
        RuleFor(x => x.AspectRatio).Must(r => r is null || ImageSizes.AspectRatios.Contains(r))
            .WithMessage($"One of {string.Join(", ", ImageSizes.AspectRatios)}.");
        RuleFor(x => x.Width).InclusiveBetween(ImageSizes.MinSide, ImageSizes.MaxSide);
        RuleFor(x => x.Height).InclusiveBetween(ImageSizes.MinSide, ImageSizes.MaxSide);
        RuleFor(x => x).Must(x => (x.Width is null) == (x.Height is null)).WithName("width").WithMessage("Give both width and height, or neither.");
        RuleFor(x => x).Must(x => x.Width is null || x.AspectRatio is null).WithName("aspectRatio").WithMessage("Give an aspect ratio or a size, not both.");
        RuleFor(x => x.Seed).InclusiveBetween(0, uint.MaxValue);
        this.ValidTags(x => x.Tags);
    }
}

/// <summary>
/// POST /api/generations/image (member): checks plan, model, size, credits and quota, reserves the price
/// and queues the job. 202 with the job; a repeated Idempotency-Key returns the first job.
/// </summary>
public sealed class GenerateImageEndpoint(IDocumentSession session, IWolverineRuntime wolverine, JobSubmission submission)
    : Endpoint<GenerateImageRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/image");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("GenerateImage").WithSummary("Generate an image").WithTags("Generations")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(409).ProducesProblem(422));
    }

    public override async Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateImageRequest req, CancellationToken ct)
    {
        var (key, badKey) = Submitting.IdempotencyKey(HttpContext);
        if (badKey is not null) return badKey;
        var caller = User.Required();
        var input = new JobInput(req.Prompt.Trim(), req.NegativePrompt?.Trim(), req.Style, req.AspectRatio, req.Width, req.Height,
            req.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue), ProjectId: req.ProjectId, Tags: req.Tags?.Select(t => t.Trim()).ToList());
        var (accepted, problem) = await submission.SubmitAsync(session, new MartenOutbox(wolverine, session), caller.OrganizationId,
            caller.UserId, new GenerationOrder(GenerationType.Image, req.Provider, req.Model, input, key, req.AllowFailover), ct);
        return accepted is null ? problem! : Submitting.Answer(HttpContext, accepted);
    }
}
