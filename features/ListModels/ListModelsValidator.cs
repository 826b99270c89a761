using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListModels;

public sealed class ListModelsValidator : Validator<ListModelsRequest>
{
    public ListModelsValidator() => RuleFor(x => x.Type).IsInEnum();
}
