using BaseAgency.Features.RemoveMember;
using BaseAgency.Identity;

namespace BaseAgency.Tests.Features.RemoveMember;

/// <summary>Whom an admin may remove, as a function.</summary>
public sealed class RemoveMemberRulesTests
{
    [Theory]
    [InlineData(Role.Admin, Role.Member, false, null)]
    [InlineData(Role.Admin, Role.SuperAdmin, true, "role_not_assignable")]
    [InlineData(Role.SuperAdmin, Role.SuperAdmin, true, null)]
    [InlineData(Role.Admin, Role.Admin, false, "last_admin")]
    [InlineData(Role.Admin, Role.Admin, true, null)]
    public void A_removal_is_refused_only_for_a_super_admin_or_the_last_admin(Role caller, Role role, bool anotherAdmin, string? code) =>
        (RemoveMemberHandler.Refusal(caller, role, anotherAdmin)?.ProblemDetails.Extensions["code"] as string).ShouldBe(code);
}
