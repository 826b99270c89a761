using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ListWebhookDeliveries;

public sealed class ListWebhookDeliveriesValidator : Validator<ListWebhookDeliveriesRequest>
{
    public ListWebhookDeliveriesValidator() => RuleFor(x => x.Limit).InclusiveBetween(1, 200);
}
