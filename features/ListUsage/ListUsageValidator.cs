using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListUsage;

public sealed class ListUsageValidator : Validator<ListUsageRequest>
{
    public ListUsageValidator()
    {
        RuleFor(x => x.GroupBy).Must(g => ListUsageRequest.Groupings.ContainsKey(g))
            .WithMessage($"Must be one of: {string.Join(", ", ListUsageRequest.Groupings.Keys)}.");
        RuleFor(x => x.Format).Must(f => f is "json" or "csv").WithMessage("Must be json or csv.");
    }
}
