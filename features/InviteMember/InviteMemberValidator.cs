using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.InviteMember;

public sealed class InviteMemberValidator : Validator<InviteMemberRequest>
{
    public InviteMemberValidator()
    {
        RuleFor(x => x.Email).NotEmpty().EmailAddress().MaximumLength(254);
        RuleFor(x => x.Role).IsInEnum().NotEqual(Role.SuperAdmin).WithMessage("super_admin cannot be given by invitation.");
    }
}
