using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.GenerateVideo;

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
