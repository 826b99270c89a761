using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Features.ChangeMemberRole;

/// <summary>
/// Only a super_admin gives or takes super_admin; the organization always keeps at least one admin. Takes
/// effect on the member's next request.
/// </summary>
public static class ChangeMemberRoleHandler
{
    public static async Task<Outcome<MemberView>> Handle(ChangeMemberRole command, IDocumentSession session, IFusionCache cache,
        TimeProvider clock, CancellationToken ct)
    {
        await session.LockOrganizationAsync(command.OrganizationId, ct); // two admins demoting each other: one after the other
        var member = await session.LoadAsync<User>(command.MemberId, ct);
        if (member is null) return Problems.NotFound("The member");

        var anotherAdmin = await session.AnotherAdminExistsAsync(member.Id, ct);
        if (Refusal(command.CallerRole, member.Role, command.Role, anotherAdmin) is { } problem) return problem;

        var now = clock.GetUtcNow();
        var changed = member with { Role = command.Role };
        session.Store(changed);
        session.Insert(AuditEntry.Changed(command.CallerId, command.OrganizationId, "member.role_changed", "members", member.Id.ToString(), now,
            ("role", Json.NameOf(member.Role), Json.NameOf(command.Role))));
        if (!MemberRules.KeysSurvive(command.Role))
            foreach (var key in await ApiKey.RevokeMadeByAsync(session, cache, member.Id, now, ct))
                session.Insert(AuditEntry.Changed(command.CallerId, command.OrganizationId, "api_key.revoked", "api_keys", key.Id.ToString(), now,
                    ("status", "active", "revoked"), ("reason", null, "maker_no_longer_admin")));
        Membership.ForgetOnCommit(session, cache, command.OrganizationId, member.Id);
        return MemberView.Of(changed);
    }

    /// <summary>Why <paramref name="caller"/> may not move a member from <paramref name="current"/> to <paramref name="wanted"/>, or null when they may.</summary>
    public static ProblemHttpResult? Refusal(Role caller, Role current, Role wanted, bool anotherAdminExists)
    {
        if (MemberRules.CannotManage(caller, current, wanted))
            return Problems.Forbidden("role_not_assignable", "Only a super_admin can give or take the super_admin role.");
        if (MemberRules.LeavesNoAdmin(current, wanted, anotherAdminExists))
            return MemberProblems.LastAdmin();
        return null;
    }
}
