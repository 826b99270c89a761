using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using Wolverine.Runtime;

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
public sealed class GenerateVideoEndpoint(IDocumentSession session, IWolverineRuntime wolverine, JobSubmission submission)
    : Endpoint<GenerateVideoRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/video");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("GenerateVideo").WithSummary("Generate a video from an image").WithTags("Generations")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422));
    }

    public override async Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateVideoRequest req, CancellationToken ct)
    {
        var (key, badKey) = Submitting.IdempotencyKey(HttpContext);
        if (badKey is not null) return badKey;
        var caller = User.Required();

        var source = req.SourceImage.Trim();
        if (Guid.TryParse(source, out var generationId))
        {
            // Our own image: it must be this organization's (another's is simply not found).
            var image = await session.LoadAsync<Generation>(generationId, ct);
            if (image is null || image.DeletedAt is not null) return Problems.NotFound("The source image");
            if (image.Type != GenerationType.Image) return Problems.Of(422, "source_not_an_image", "The source generation is not an image.");
        }

        var input = new JobInput(req.MotionPrompt?.Trim() ?? "", AspectRatio: req.AspectRatio, DurationSeconds: req.Duration,
            SourceImage: source, Seed: req.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue), ProjectId: req.ProjectId,
            Tags: req.Tags?.Select(t => t.Trim()).ToList());
        var (accepted, problem) = await submission.SubmitAsync(session, new MartenOutbox(wolverine, session), caller.OrganizationId,
            caller.UserId, new GenerationOrder(GenerationType.Video, req.Provider, req.Model, input, key, req.AllowFailover), ct);
        return accepted is null ? problem! : Submitting.Answer(HttpContext, accepted);
    }
}
