using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListAdminPurchases;

public sealed class ListAdminPurchasesValidator : Validator<ListAdminPurchasesRequest>
{
    public ListAdminPurchasesValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null || ListAdminPurchasesRequest.Statuses.ContainsKey(s))
            .WithMessage($"Must be one of: {string.Join(", ", ListAdminPurchasesRequest.Statuses.Keys)}.");
        RuleFor(x => x.Limit).InclusiveBetween(1, 200);
    }
}
