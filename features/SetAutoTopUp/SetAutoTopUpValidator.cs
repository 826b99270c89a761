using BaseAgency.Billing;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.SetAutoTopUp;

public sealed class SetAutoTopUpValidator : Validator<SetAutoTopUpRequest>
{
    public SetAutoTopUpValidator()
    {
        RuleFor(x => x.ThresholdCredits).InclusiveBetween(1, AutoTopUp.MaxThresholdCredits);
        RuleFor(x => x.PackId).NotEmpty().MaximumLength(100);
    }
}
