using BaseAgency.Generations;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.GenerateAudio;

public sealed class GenerateAudioValidator : Validator<GenerateAudioRequest>
{
    public const int MaxTextLength = 5000;

    public GenerateAudioValidator()
    {
        RuleFor(x => x.Text).NotEmpty().MaximumLength(MaxTextLength);
        RuleFor(x => x.Voice).MaximumLength(100);
        this.ValidTags(x => x.Tags);
    }
}
