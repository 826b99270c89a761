using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.BuyCredits;

public sealed class BuyCreditsValidator : Validator<BuyCreditsRequest>
{
    public BuyCreditsValidator() => RuleFor(x => x.PackId).NotEmpty().MaximumLength(100);
}
