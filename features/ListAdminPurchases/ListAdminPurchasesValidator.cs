using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListAdminPurchases;

public sealed class ListAdminPurchasesValidator : Validator<ListAdminPurchasesRequest>
{
    public ListAdminPurchasesValidator()
    {
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.Limit).InclusiveBetween(1, 200);
    }
}
