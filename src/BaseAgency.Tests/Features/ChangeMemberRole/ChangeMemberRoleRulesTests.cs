using BaseAgency.Features.ChangeMemberRole;
using BaseAgency.Identity;

namespace BaseAgency.Tests.Features.ChangeMemberRole;

/// <summary>Which role changes an admin may make, as a function.</summary>
public sealed class ChangeMemberRoleRulesTests
{
    [Theory]
    [InlineData(Role.Admin, Role.Member, Role.Manager, false, null)]
    [InlineData(Role.Admin, Role.Member, Role.SuperAdmin, true, "role_not_assignable")]
    [InlineData(Role.Admin, Role.SuperAdmin, Role.Member, true, "role_not_assignable")]
    [InlineData(Role.SuperAdmin, Role.Member, Role.SuperAdmin, false, null)]
    [InlineData(Role.Admin, Role.Admin, Role.Member, false, "last_admin")]
    [InlineData(Role.Admin, Role.Admin, Role.Member, true, null)]
    [InlineData(Role.Admin, Role.Admin, Role.Admin, false, null)]
    public void A_change_is_refused_only_for_super_admin_or_the_last_admin(Role caller, Role current, Role wanted, bool anotherAdmin,
        string? code) =>
        (ChangeMemberRoleHandler.Refusal(caller, current, wanted, anotherAdmin)?.ProblemDetails.Extensions["code"] as string).ShouldBe(code);
}
