using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListJobs;

public sealed class ListJobsValidator : Validator<ListJobsRequest>
{
    public ListJobsValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 100);
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.Type).IsInEnum();
        RuleFor(x => x.Provider).MaximumLength(50);
    }
}
