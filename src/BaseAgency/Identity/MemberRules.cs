using Marten;

namespace BaseAgency.Identity;

/// <summary>Rules about changing who is in an organization and with which role.</summary>
public static class MemberRules
{
    /// <summary>Only a super_admin may touch the super_admin role, on either side of a change.</summary>
    public static bool CannotManage(Role caller, Role current, Role wanted) =>
        caller != Role.SuperAdmin && (current == Role.SuperAdmin || wanted == Role.SuperAdmin);

    /// <summary>
    /// True when the change takes away the organization's only admin (or super_admin): the member holds an
    /// admin role, will not (<paramref name="wanted"/> is null when the member is removed), and no one else does.
    /// </summary>
    public static bool LeavesNoAdmin(Role current, Role? wanted, bool anotherAdminExists) =>
        current >= Role.Admin && wanted is not >= Role.Admin && !anotherAdminExists;

    /// <summary>
    /// Whether the API keys a member made keep working after the member's role becomes <paramref name="wanted"/> (null: removed).
    /// Only admins make keys, and a key acts as its maker: it must not outlive the maker's right to it.
    /// </summary>
    public static bool KeysSurvive(Role? wanted) => wanted is >= Role.Admin;

    /// <summary>Whether the organization (the session's tenant) has an admin or super_admin besides <paramref name="memberId"/>.</summary>
    public static Task<bool> AnotherAdminExistsAsync(this IQuerySession session, Guid memberId, CancellationToken ct) =>
        session.Query<User>().AnyAsync(u => u.Id != memberId && (u.Role == Role.Admin || u.Role == Role.SuperAdmin), ct);
}
