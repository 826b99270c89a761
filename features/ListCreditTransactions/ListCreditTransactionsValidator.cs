using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListCreditTransactions;

public sealed class ListCreditTransactionsValidator : Validator<ListCreditTransactionsRequest>
{
    public ListCreditTransactionsValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 200);
        RuleFor(x => x.Type).IsInEnum();
    }
}
