using BaseAgency.Features.Login;
using BaseAgency.Identity;

namespace BaseAgency.Tests.Features.Login;

/// <summary>The sign-in decisions, as functions.</summary>
public sealed class LoginRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly User Member =
        new(Guid.NewGuid(), Guid.NewGuid(), "a@b.c", "A", Role.Member, Passwords.Hash("correct horse battery"), Now);

    [Fact]
    public void Only_an_active_account_with_its_own_password_is_accepted()
    {
        LoginHandler.Accepts(Member, "correct horse battery").ShouldBeTrue();
        LoginHandler.Accepts(Member, "wrong").ShouldBeFalse();
        LoginHandler.Accepts(Member with { IsActive = false }, "correct horse battery").ShouldBeFalse();
        LoginHandler.Accepts(null, "correct horse battery").ShouldBeFalse();
    }

    [Fact]
    public void A_locked_address_is_told_when_to_retry()
    {
        var problem = LoginHandler.Locked(42).ProblemDetails;
        problem.Status.ShouldBe(429);
        problem.Extensions["code"].ShouldBe("login_locked");
        problem.Extensions[LoginHandler.RetryAfterSeconds].ShouldBe(42);
    }
}
