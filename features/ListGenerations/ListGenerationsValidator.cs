using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListGenerations;

public sealed class ListGenerationsValidator : Validator<ListGenerationsRequest>
{
    public ListGenerationsValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 100);
        RuleFor(x => x.Type).IsInEnum();
        RuleFor(x => x.Provider).MaximumLength(50);
        RuleFor(x => x.Model).MaximumLength(100);
        RuleFor(x => x.Tag).MaximumLength(50);
    }
}
