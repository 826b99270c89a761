using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.GenerateImage;

public sealed class GenerateImageValidator : Validator<GenerateImageRequest>
{
    public GenerateImageValidator()
    {
        RuleFor(x => x.Prompt).NotEmpty().MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.NegativePrompt).MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.Style).MaximumLength(100);
        RuleFor(x => x.AspectRatio).ValidAspectRatio();
        RuleFor(x => x.Width).InclusiveBetween(ImageSizes.MinSide, ImageSizes.MaxSide);
        RuleFor(x => x.Height).InclusiveBetween(ImageSizes.MinSide, ImageSizes.MaxSide);
        RuleFor(x => x).Must(x => (x.Width is null) == (x.Height is null)).WithName("width").WithMessage("Give both width and height, or neither.");
        RuleFor(x => x).Must(x => x.Width is null || x.AspectRatio is null).WithName("aspectRatio").WithMessage("Give an aspect ratio or a size, not both.");
        RuleFor(x => x.Seed).InclusiveBetween(0, uint.MaxValue);
        this.ValidTags(x => x.Tags);
    }
}
