using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.GenerateVideo;

/// <param name="SourceImage">An image generation's id, or an https URL of an image.</param>
public sealed record GenerateVideoRequest(
    string SourceImage,
    int Duration,
    string? MotionPrompt = null,
    string? AspectRatio = null,
    string? Provider = null,
    string? Model = null,
    long? Seed = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false);

public sealed class GenerateVideoValidator : Validator<GenerateVideoRequest>
{
    public GenerateVideoValidator()
    {
        RuleFor(x => x.SourceImage).NotEmpty().MaximumLength(2000)
            .Must(s => Guid.TryParse(s, out _) || (Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            .WithMessage("An image generation's id or an https URL.");
        RuleFor(x => x.Duration).InclusiveBetween(1, 60);
        RuleFor(x => x.MotionPrompt).MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.AspectRatio).Must(r => r is null || ImageSizes.AspectRatios.Contains(r))
            .WithMessage($"One of {string.Join(", ", ImageSizes.AspectRatios)}.");
        RuleFor(x => x.Seed).InclusiveBetween(0, uint.MaxValue);
        this.ValidTags(x => x.Tags);
    }
}

/// <summary>POST /api/generations/video (member): animates an image; priced per second of video.</summary>
public sealed class GenerateVideoEndpoint(IQuerySession session, JobSubmission submission) : GenerationEndpoint<GenerateVideoRequest>(submission)
{
    public override void Configure() => Submits(GenerationType.Video, "Generate a video from an image");

    protected override async ValueTask<(GenerationOrder?, ProblemHttpResult?)> OrderAsync(GenerateVideoRequest req, string? key, CancellationToken ct)
    {
        var source = req.SourceImage.Trim();
        if (Guid.TryParse(source, out var generationId))
        {
            // Our own image: it must be this organization's (another's is simply not found).
            var image = await session.LoadAsync<Generation>(generationId, ct);
            if (image is null || image.DeletedAt is not null) return (null, Problems.NotFound("The source image"));
            if (image.Type != GenerationType.Image) return (null, Problems.Of(422, "source_not_an_image", "The source generation is not an image."));
        }
        var input = new JobInput(req.MotionPrompt?.Trim() ?? "", AspectRatio: req.AspectRatio, DurationSeconds: req.Duration,
            SourceImage: source, Seed: req.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue), ProjectId: req.ProjectId, Tags: Trimmed(req.Tags));
        return (new GenerationOrder(GenerationType.Video, req.Provider, req.Model, input, key, req.AllowFailover), null);
    }
}
