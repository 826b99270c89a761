using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.AcceptInvitation;

public sealed class AcceptInvitationValidator : Validator<AcceptInvitationRequest>
{
    public AcceptInvitationValidator()
    {
        RuleFor(x => x.Token).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Password).NotEmpty().MinimumLength(Passwords.MinimumLength).MaximumLength(128);
    }
}
