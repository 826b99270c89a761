using BaseAgency.Webhooks;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.CreateWebhook;

public sealed class CreateWebhookValidator : Validator<CreateWebhookRequest>
{
    public CreateWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty();
        RuleFor(x => x.Events).NotEmpty().Must(e => e.Distinct().Count() == e.Count).WithMessage("Each event once.");
        RuleForEach(x => x.Events).Must(WebhookEvents.Subscribable.Contains)
            .WithMessage((_, type) => WebhookEvents.Unknown(type));
        RuleFor(x => x.Description).MaximumLength(500);
    }
}
