using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.ChangeMemberRole;

public sealed class ChangeMemberRoleValidator : Validator<ChangeMemberRoleRequest>
{
    public ChangeMemberRoleValidator() => RuleFor(x => x.Role).IsInEnum();
}
