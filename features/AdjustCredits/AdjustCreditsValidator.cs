using BaseAgency.Ledger;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.AdjustCredits;

public sealed class AdjustCreditsValidator : Validator<AdjustCreditsRequest>
{
    public AdjustCreditsValidator()
    {
        RuleFor(x => x.Amount).NotEqual(0).InclusiveBetween(-1_000_000, 1_000_000);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
        RuleFor(x => x.Bucket).Must(b => b is null or CreditKind.Paid or CreditKind.Promotional)
            .WithMessage("An adjustment lands in the paid or the promotional bucket; plan credits come with the plan.");
        // A negative adjustment takes in spending order, so naming a bucket there would promise what it does not do.
        RuleFor(x => x.Bucket).Null().When(x => x.Amount < 0).WithMessage("Only a positive adjustment names a bucket.");
    }
}
