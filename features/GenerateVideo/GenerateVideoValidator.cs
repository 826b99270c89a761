using BaseAgency.Generations;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.GenerateVideo;

public sealed class GenerateVideoValidator : Validator<GenerateVideoRequest>
{
    public GenerateVideoValidator()
    {
        RuleFor(x => x.SourceImage).ValidSourceImage();
        RuleFor(x => x.Duration).InclusiveBetween(1, Submitting.MaxVideoSeconds);
        RuleFor(x => x.MotionPrompt).MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.AspectRatio).ValidAspectRatio();
        RuleFor(x => x.Seed).InclusiveBetween(0, uint.MaxValue);
        this.ValidTags(x => x.Tags);
    }
}
