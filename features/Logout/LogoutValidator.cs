using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.Logout;

public sealed class LogoutValidator : Validator<LogoutRequest>
{
    public LogoutValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}
