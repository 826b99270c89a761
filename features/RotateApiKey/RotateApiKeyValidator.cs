using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.RotateApiKey;

public sealed class RotateApiKeyValidator : Validator<RotateApiKeyRequest>
{
    public RotateApiKeyValidator() =>
        RuleFor(x => x.Overlap).InclusiveBetween(TimeSpan.Zero, ApiKeyOptions.MaxOverlap).When(x => x.Overlap is not null)
            .WithMessage("Between 00:00:00 and 7.00:00:00.");
}
