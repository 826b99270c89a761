using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Features.ChangeMemberRole;

public sealed record ChangeMemberRoleRequest(Role Role);

public sealed class ChangeMemberRoleValidator : Validator<ChangeMemberRoleRequest>
{
    public ChangeMemberRoleValidator() => RuleFor(x => x.Role).IsInEnum();
}

/// <summary>
/// PATCH /api/organization/members/{userId} (admin). Only a super_admin gives or takes super_admin;
/// the organization always keeps at least one admin. Takes effect on the member's next request.
/// </summary>
public sealed class ChangeMemberRoleEndpoint(IDocumentSession session, IFusionCache cache)
    : Endpoint<ChangeMemberRoleRequest, Results<Ok<MemberView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/organization/members/{userId:guid}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ChangeMemberRole").WithSummary("Change a member's role").WithTags("Organization")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<MemberView>, ProblemHttpResult>> ExecuteAsync(ChangeMemberRoleRequest req, CancellationToken ct)
    {
        var (_, _, callerRole) = User.Required();
        var member = await session.LoadAsync<Identity.User>(Route<Guid>("userId"), ct);
        if (member is null) return Problems.NotFound("The member");

        if (MemberRules.CannotManage(callerRole, member.Role, req.Role))
            return Problems.Forbidden("role_not_assignable", "Only a super_admin can give or take the super_admin role.");
        if (member.Role >= Role.Admin && req.Role < Role.Admin && await MemberRules.IsLastAdminAsync(session, member, ct))
            return Problems.Conflict("last_admin", "The organization must keep at least one admin.");

        var changed = member with { Role = req.Role };
        session.Store(changed);
        await session.SaveChangesAsync(ct);
        await Membership.Forget(cache, member.Id);
        return TypedResults.Ok(MemberView.Of(changed));
    }
}
