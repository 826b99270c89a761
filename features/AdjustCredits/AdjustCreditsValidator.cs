using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.AdjustCredits;

public sealed class AdjustCreditsValidator : Validator<AdjustCreditsRequest>
{
    public AdjustCreditsValidator()
    {
        RuleFor(x => x.Amount).NotEqual(0).InclusiveBetween(-1_000_000, 1_000_000);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
    }
}
