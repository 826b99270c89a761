using BaseAgency.Ledger;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.SetSpendCap;

public sealed class SetSpendCapValidator : Validator<SetSpendCapRequest>
{
    public SetSpendCapValidator() => RuleFor(x => x.MonthlyCredits).InclusiveBetween(1, SpendCap.Max);
}
