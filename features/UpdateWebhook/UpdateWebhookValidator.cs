using BaseAgency.Webhooks;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.UpdateWebhook;

public sealed class UpdateWebhookValidator : Validator<UpdateWebhookRequest>
{
    public UpdateWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty().When(x => x.Url is not null);
        RuleFor(x => x.Events).NotEmpty().Must(e => e!.Distinct().Count() == e!.Count).WithMessage("Each event once.").When(x => x.Events is not null);
        RuleForEach(x => x.Events).Must(WebhookEvents.Subscribable.Contains)
            .WithMessage((_, type) => WebhookEvents.Unknown(type));
        RuleFor(x => x.Description).MaximumLength(500);
    }
}
