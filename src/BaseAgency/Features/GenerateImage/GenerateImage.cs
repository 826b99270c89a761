using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

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
public sealed class GenerateImageEndpoint(JobSubmission submission) : GenerationEndpoint<GenerateImageRequest>(submission)
{
    public override void Configure() => Submits(GenerationType.Image, "Generate an image");

    protected override ValueTask<(GenerationOrder?, ProblemHttpResult?)> OrderAsync(GenerateImageRequest req, string? key, CancellationToken ct)
    {
        var input = new JobInput(req.Prompt.Trim(), req.NegativePrompt?.Trim(), req.Style, req.AspectRatio, req.Width, req.Height,
            req.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue), ProjectId: req.ProjectId, Tags: Trimmed(req.Tags));
        return new((new GenerationOrder(GenerationType.Image, req.Provider, req.Model, input, key, req.AllowFailover), null));
    }
}
