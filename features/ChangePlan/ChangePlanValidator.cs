using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ChangePlan;

public sealed class ChangePlanValidator : Validator<ChangePlanRequest>
{
    public ChangePlanValidator()
    {
        RuleFor(x => x.Plan).IsInEnum();
        RuleFor(x => x.Interval).IsInEnum();
    }
}
