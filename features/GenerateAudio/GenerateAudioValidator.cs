using BaseAgency.Generations;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.GenerateAudio;

public sealed class GenerateAudioValidator : Validator<GenerateAudioRequest>
{
    public GenerateAudioValidator()
    {
        RuleFor(x => x.Text).NotEmpty().MaximumLength(Submitting.MaxTextLength);
        RuleFor(x => x.Voice).MaximumLength(100);
        this.ValidTags(x => x.Tags);
    }
}
