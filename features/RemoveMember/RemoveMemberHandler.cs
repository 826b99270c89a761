using BaseAgency.Platform;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Features.RemoveMember;

/// <summary>
/// The account is deleted (its e-mail address is free again), its refresh tokens are revoked, and its access
/// tokens stop working on the next request.
/// </summary>
public static class RemoveMemberHandler
{
    public static async Task<Outcome<MemberRemoved>> Handle(RemoveMember command, IDocumentSession session, IFusionCache cache,
        TimeProvider clock, CancellationToken ct)
    {
        await session.LockOrganizationAsync(command.OrganizationId, ct); // two admins demoting each other: one after the other
        var member = await session.LoadAsync<User>(command.MemberId, ct);
        if (member is null) return Problems.NotFound("The member");

        var anotherAdmin = await session.AnotherAdminExistsAsync(member.Id, ct);
        if (Refusal(command.CallerRole, member.Role, anotherAdmin) is { } problem) return problem;

        var now = clock.GetUtcNow();
        session.Delete(member);
        RefreshToken.RevokeAllOf(session, member.Id, now);
        session.Insert(AuditEntry.Changed(command.CallerId, command.OrganizationId, "member.removed", "members", member.Id.ToString(), now,
            ("email", member.Email, null), ("role", Json.NameOf(member.Role), null)));
        foreach (var key in await ApiKey.RevokeMadeByAsync(session, cache, member.Id, now, ct))
            session.Insert(AuditEntry.Changed(command.CallerId, command.OrganizationId, "api_key.revoked", "api_keys", key.Id.ToString(), now,
                ("status", "active", "revoked"), ("reason", null, "maker_removed")));
        Membership.ForgetOnCommit(session, cache, command.OrganizationId, member.Id);
        return new MemberRemoved(member.Id);
    }

    /// <summary>Why <paramref name="caller"/> may not remove a member holding <paramref name="role"/>, or null when they may.</summary>
    public static ProblemHttpResult? Refusal(Role caller, Role role, bool anotherAdminExists)
    {
        if (MemberRules.CannotManage(caller, role, role))
            return Problems.Forbidden("role_not_assignable", "Only a super_admin can remove a super_admin.");
        if (MemberRules.LeavesNoAdmin(role, wanted: null, anotherAdminExists))
            return MemberProblems.LastAdmin();
        return null;
    }
}
