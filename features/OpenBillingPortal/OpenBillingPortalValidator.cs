using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.OpenBillingPortal;

public sealed class OpenBillingPortalValidator : Validator<OpenBillingPortalRequest>
{
    public OpenBillingPortalValidator() =>
        RuleFor(x => x.ReturnUrl).MaximumLength(2000)
            .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            .WithMessage("returnUrl must be an absolute http(s) URL.");
}
