using Marten;

namespace BaseAgency.Identity;

/// <summary>Rules about changing who is in an organization and with which role.</summary>
public static class MemberRules
{
    /// <summary>Only a super_admin may touch the super_admin role, on either side of a change.</summary>
    public static bool CannotManage(Role caller, Role current, Role wanted) =>
        caller != Role.SuperAdmin && (current == Role.SuperAdmin || wanted == Role.SuperAdmin);

    /// <summary>True when <paramref name="member"/> is the only admin (or super_admin) left in its organization.</summary>
    public static async Task<bool> IsLastAdminAsync(IQuerySession session, User member, CancellationToken ct) =>
        !await session.Query<User>().AnyAsync(u => u.Id != member.Id && (u.Role == Role.Admin || u.Role == Role.SuperAdmin), ct);
}
