using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListInvoices;

public sealed class ListInvoicesValidator : Validator<ListInvoicesRequest>
{
    public ListInvoicesValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 200);
        RuleFor(x => x.Status).IsInEnum();
    }
}
