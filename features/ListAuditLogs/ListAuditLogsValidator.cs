using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListAuditLogs;

public sealed class ListAuditLogsValidator : Validator<ListAuditLogsRequest>
{
    public ListAuditLogsValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 200);
        RuleFor(x => x.Action).MaximumLength(100);
        RuleFor(x => x.ResourceType).MaximumLength(100);
        RuleFor(x => x.ResourceId).MaximumLength(200);
        RuleFor(x => x.To).GreaterThan(x => x.From).When(x => x is { From: not null, To: not null });
    }
}
