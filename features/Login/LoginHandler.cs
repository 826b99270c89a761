using System.Diagnostics.CodeAnalysis;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.Login;

/// <summary>
/// A wrong address and a wrong password get the same answer. After <see cref="LockoutOptions.MaxFailedAttempts"/>
/// failures within the window the address is locked for <see cref="LockoutOptions.LockoutDuration"/> (429 with
/// Retry-After), whether or not an account has it. Parallel attempts cannot exceed that count: they are serialized per address.
/// </summary>
public static class LoginHandler
{
    /// <summary>The locked answer's extension that the endpoint repeats as the Retry-After header.</summary>
    public const string RetryAfterSeconds = "retryAfterSeconds";

    public static async Task<Outcome<TokenPair>> Handle(Login command, IDocumentSession session, Tokens tokens, TimeProvider clock,
        IOptions<AuthOptions> auth, ILogger<Login> log, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var email = User.Normalize(command.Email);

        // Attempts for one address are decided one at a time, each after the last one's failure is counted: however many
        // arrive at once, no more passwords are checked than the lockout allows.
        await session.LockNameAsync($"login:{email}", ct);
        var throttle = await session.LoadAsync<LoginThrottle>(email, ct) ?? LoginThrottle.Start(email, now);
        if (throttle.IsLocked(now)) return Locked(throttle.SecondsLocked(now));

        // The one cross-organization read: sign-in happens before we know the caller's organization.
        var user = await session.Query<User>().SingleOrDefaultAsync(u => u.AnyTenant() && u.Email == email, ct);
        if (!Accepts(user, command.Password.Value))
        {
            // This problem stages an effect on purpose: the failure must commit, since it is what the lockout
            // counts, and the answer is still 401.
            var failed = throttle.Failed(now, auth.Value.Lockout);
            session.Store(failed);
            // No address in the log: failures are counted, not attributed.
            log.LogWarning("Failed sign-in attempt ({Failures} in the current window, locked: {Locked})", failed.Failures, failed.IsLocked(now));
            return Problems.Unauthorized("invalid_credentials", "The e-mail address or password is wrong.");
        }

        if (throttle.Failures > 0) session.Delete<LoginThrottle>(email);
        session.ForTenant(Tenancy.TenantOf(user.OrganizationId)).Store(user with { LastLoginAt = now });
        return tokens.Issue(session, user, user.OrganizationId);
    }

    /// <summary>
    /// The password is verified whether or not an account has the address (against a decoy hash when none
    /// does), so neither the answer nor its timing tells which addresses exist.
    /// </summary>
    public static bool Accepts([NotNullWhen(true)] User? user, string password) =>
        Passwords.Verify(user?.PasswordHash, password) && user is { IsActive: true };

    public static ProblemHttpResult Locked(int seconds) =>
        Problems.Of(StatusCodes.Status429TooManyRequests, "login_locked", "Too many failed sign-in attempts; try again later.",
            $"Sign-in for this address is locked for {seconds} more seconds.", (RetryAfterSeconds, seconds));
}
