using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.SetWebhookSettings;

public sealed class SetWebhookSettingsValidator : Validator<SetWebhookSettingsRequest>
{
    public SetWebhookSettingsValidator() => RuleFor(x => x.LowCreditsThreshold).InclusiveBetween(1, 100_000_000);
}
