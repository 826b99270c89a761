using BaseAgency.Generations;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.GenerateText;

public sealed class GenerateTextValidator : Validator<GenerateTextRequest>
{
    public GenerateTextValidator()
    {
        RuleFor(x => x.Prompt).NotEmpty().MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.MaxTokens).InclusiveBetween(1, Submitting.MaxTokens);
        this.ValidTags(x => x.Tags);
    }
}
