using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Features.RemoveMember;

/// <summary>
/// DELETE /api/organization/members/{userId} (admin). The account is deleted (its e-mail address is free
/// again), its refresh tokens are revoked, and its access tokens stop working on the next request.
/// </summary>
public sealed class RemoveMemberEndpoint(IDocumentSession session, IFusionCache cache, TimeProvider clock)
    : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/organization/members/{userId:guid}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("RemoveMember").WithSummary("Remove a member from the organization").WithTags("Organization")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var (_, _, callerRole) = User.Required();
        var member = await session.LoadAsync<Identity.User>(Route<Guid>("userId"), ct);
        if (member is null) return Problems.NotFound("The member");

        if (MemberRules.CannotManage(callerRole, member.Role, member.Role))
            return Problems.Forbidden("role_not_assignable", "Only a super_admin can remove a super_admin.");
        if (member.Role >= Role.Admin && await MemberRules.IsLastAdminAsync(session, member, ct))
            return Problems.Conflict("last_admin", "The organization must keep at least one admin.");

        session.Delete(member);
        RefreshToken.RevokeAllOf(session, member.Id, clock.GetUtcNow());
        await session.SaveChangesAsync(ct);
        await Membership.Forget(cache, member.Id);
        return TypedResults.NoContent();
    }
}
