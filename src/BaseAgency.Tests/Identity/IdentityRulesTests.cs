using BaseAgency.Identity;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Identity;

/// <summary>The pure decisions behind sign-in and membership, checked as functions.</summary>
public sealed class IdentityRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly LockoutOptions Lockout = new() { MaxFailedAttempts = 3, Window = TimeSpan.FromMinutes(10), LockoutDuration = TimeSpan.FromMinutes(5) };

    [Fact]
    public void Throttle_locks_after_the_maximum_failures_within_the_window()
    {
        var t = LoginThrottle.Start("a@b.c", Now).Failed(Now, Lockout).Failed(Now.AddMinutes(1), Lockout);
        t.IsLocked(Now.AddMinutes(1)).ShouldBeFalse();
        t = t.Failed(Now.AddMinutes(2), Lockout);
        t.IsLocked(Now.AddMinutes(2)).ShouldBeTrue();
        t.IsLocked(Now.AddMinutes(7).AddSeconds(1)).ShouldBeFalse();
    }

    [Fact]
    public void A_locked_throttle_tells_the_whole_seconds_left_rounded_up()
    {
        var t = LoginThrottle.Start("a@b.c", Now).Failed(Now, Lockout).Failed(Now, Lockout).Failed(Now, Lockout);
        t.SecondsLocked(Now).ShouldBe(300);
        t.SecondsLocked(Now.AddMilliseconds(1500)).ShouldBe(299);
        t.SecondsLocked(Now.AddMinutes(5)).ShouldBe(0);
        LoginThrottle.Start("a@b.c", Now).SecondsLocked(Now).ShouldBe(0);
    }

    [Fact]
    public void Throttle_forgets_failures_older_than_the_window()
    {
        var t = LoginThrottle.Start("a@b.c", Now).Failed(Now, Lockout).Failed(Now, Lockout);
        t = t.Failed(Now.AddMinutes(11), Lockout);
        t.Failures.ShouldBe(1);
        t.IsLocked(Now.AddMinutes(11)).ShouldBeFalse();
    }

    [Fact]
    public void A_refresh_token_is_valid_once_then_reused()
    {
        var token = RefreshToken.Issue("secret", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now, TimeSpan.FromDays(1));
        token.Check(Now).ShouldBe(RefreshVerdict.Valid);
        (token with { UsedAt = Now }).Check(Now).ShouldBe(RefreshVerdict.Reused);
        (token with { RevokedAt = Now, UsedAt = Now }).Check(Now).ShouldBe(RefreshVerdict.Revoked);
        token.Check(Now.AddDays(2)).ShouldBe(RefreshVerdict.Expired);
        token.Id.ShouldNotContain("secret");
    }

    [Fact]
    public void An_invitation_token_names_its_organization_and_stores_only_a_hash()
    {
        var org = Guid.NewGuid();
        var (token, id) = Invitation.NewToken(org);
        var parsed = Invitation.ParseToken(token);
        parsed.ShouldNotBeNull();
        parsed.Value.OrganizationId.ShouldBe(org);
        parsed.Value.Id.ShouldBe(id);
        token.ShouldNotContain(id);
        Invitation.ParseToken("garbage").ShouldBeNull();
        Invitation.ParseToken($"{org:N}.short").ShouldBeNull();
    }

    [Theory]
    [InlineData(Role.Admin, Role.Member, Role.Manager, false)]
    [InlineData(Role.Admin, Role.Member, Role.SuperAdmin, true)]
    [InlineData(Role.Admin, Role.SuperAdmin, Role.Member, true)]
    [InlineData(Role.SuperAdmin, Role.Member, Role.SuperAdmin, false)]
    public void Only_a_super_admin_touches_super_admin(Role caller, Role current, Role wanted, bool forbidden) =>
        MemberRules.CannotManage(caller, current, wanted).ShouldBe(forbidden);

    [Fact]
    public void An_invitation_is_pending_until_accepted_or_expired()
    {
        var invitation = new Invitation("id", "a@b.c", Role.Member, Guid.NewGuid(), Now, Now.AddDays(7));
        invitation.IsPending(Now).ShouldBeTrue();
        invitation.IsPending(Now.AddDays(7)).ShouldBeFalse();
        (invitation with { AcceptedAt = Now }).IsPending(Now).ShouldBeFalse();
    }

    [Theory]
    [InlineData(Role.Admin, Role.Member, false, true)]
    [InlineData(Role.Admin, null, false, true)]
    [InlineData(Role.SuperAdmin, Role.Admin, false, false)]
    [InlineData(Role.Admin, Role.Member, true, false)]
    [InlineData(Role.Admin, null, true, false)]
    [InlineData(Role.Manager, Role.Viewer, false, false)]
    [InlineData(Role.Manager, null, false, false)]
    public void Only_taking_the_admin_role_from_the_last_admin_leaves_no_admin(Role current, Role? wanted, bool anotherAdmin, bool leavesNone) =>
        MemberRules.LeavesNoAdmin(current, wanted, anotherAdmin).ShouldBe(leavesNone);

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(1, 1, false)]
    [InlineData(-1, 1_000_000, true)]
    public void Plan_limits_allow_up_to_the_limit_and_minus_one_is_unlimited(int limit, int used, bool allowed) =>
        PlanLimits.Allows(limit, used).ShouldBe(allowed);

    [Fact]
    public void Passwords_verify_only_against_their_own_hash()
    {
        var hash = Passwords.Hash("correct horse battery");
        Passwords.Verify(hash, "correct horse battery").ShouldBeTrue();
        Passwords.Verify(hash, "wrong").ShouldBeFalse();
        Passwords.Verify(null, "anything").ShouldBeFalse();
    }
}
