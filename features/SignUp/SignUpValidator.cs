using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.SignUp;

public sealed class SignUpValidator : Validator<SignUpRequest>
{
    public SignUpValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Email).NotEmpty().EmailAddress().MaximumLength(254);
        RuleFor(x => x.Password).NotEmpty().MinimumLength(Passwords.MinimumLength).MaximumLength(128);
        RuleFor(x => x.OrganizationName).NotEmpty().MinimumLength(2).MaximumLength(100);
    }
}
