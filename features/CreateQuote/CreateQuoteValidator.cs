using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.CreateQuote;

/// <summary>The shape each type's generation request must have (the same bounds as its POST /api/generations/{type}).</summary>
public sealed class CreateQuoteValidator : Validator<CreateQuoteRequest>
{
    public CreateQuoteValidator()
    {
        RuleFor(x => x.Type).NotNull().IsInEnum();
        RuleFor(x => x.Provider).MaximumLength(100);
        RuleFor(x => x.Model).MaximumLength(200);
        When(x => x.Type is GenerationType.Image or GenerationType.Text, () =>
            RuleFor(x => x.Prompt).NotEmpty().MaximumLength(Submitting.MaxPromptLength));
        When(x => x.Type == GenerationType.Image, () =>
        {
            RuleFor(x => x.NegativePrompt).MaximumLength(Submitting.MaxPromptLength);
            RuleFor(x => x.Style).MaximumLength(100);
            RuleFor(x => x.Width).InclusiveBetween(ImageSizes.MinSide, ImageSizes.MaxSide);
            RuleFor(x => x.Height).InclusiveBetween(ImageSizes.MinSide, ImageSizes.MaxSide);
            RuleFor(x => x).Must(x => (x.Width is null) == (x.Height is null)).WithName("width").WithMessage("Give both width and height, or neither.");
            RuleFor(x => x).Must(x => x.Width is null || x.AspectRatio is null).WithName("aspectRatio")
                .WithMessage("Give an aspect ratio or a size, not both.");
        });
        When(x => x.Type is GenerationType.Image or GenerationType.Video, () =>
            RuleFor(x => x.AspectRatio).ValidAspectRatio());
        When(x => x.Type == GenerationType.Video, () =>
        {
            RuleFor(x => x.SourceImage).ValidSourceImage();
            RuleFor(x => x.Duration).NotNull().InclusiveBetween(1, Submitting.MaxVideoSeconds);
            RuleFor(x => x.MotionPrompt).MaximumLength(Submitting.MaxPromptLength);
        });
        When(x => x.Type == GenerationType.Audio, () =>
        {
            RuleFor(x => x.Text).NotEmpty().MaximumLength(Submitting.MaxTextLength);
            RuleFor(x => x.Voice).MaximumLength(100);
        });
        When(x => x.Type == GenerationType.Text, () => RuleFor(x => x.MaxTokens).InclusiveBetween(1, Submitting.MaxTokens));
    }
}
