using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.Login;

public sealed record LoginRequest(string Email, string Password);

public sealed class LoginValidator : Validator<LoginRequest>
{
    public LoginValidator()
    {
        RuleFor(x => x.Email).NotEmpty().MaximumLength(254);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(128);
    }
}

/// <summary>
/// POST /api/auth/login. A wrong address and a wrong password get the same answer. After
/// <see cref="LockoutOptions.MaxFailedAttempts"/> failures within the window the address is locked for
/// <see cref="LockoutOptions.LockoutDuration"/> (429 with Retry-After), whether or not an account has it.
/// </summary>
public sealed class LoginEndpoint(IDocumentStore store, Tokens tokens, TimeProvider clock, IOptions<AuthOptions> auth, ILogger<LoginEndpoint> log)
    : Endpoint<LoginRequest, Results<Ok<TokenPair>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/auth/login");
        AllowAnonymous();
        Description(d => d.WithName("Login").WithSummary("Sign in with e-mail and password").WithTags("Identity")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(429));
    }

    public override async Task<Results<Ok<TokenPair>, ProblemHttpResult>> ExecuteAsync(LoginRequest req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var email = Identity.User.Normalize(req.Email);

        await using var platform = store.QuerySession();
        var throttle = await platform.LoadAsync<LoginThrottle>(email, ct) ?? LoginThrottle.Start(email, now);
        if (throttle.IsLocked(now))
        {
            var wait = (int)Math.Ceiling((throttle.LockedUntil!.Value - now).TotalSeconds);
            HttpContext.Response.Headers.RetryAfter = wait.ToString();
            return Problems.Of(429, "login_locked", "Too many failed sign-in attempts; try again later.",
                $"Sign-in for this address is locked for {wait} more seconds.", ("retryAfterSeconds", wait));
        }

        // The one cross-organization read: sign-in happens before we know the caller's organization.
        var user = await platform.Query<User>().SingleOrDefaultAsync(u => u.AnyTenant() && u.Email == email, ct);
        var valid = Passwords.Verify(user?.PasswordHash, req.Password) && user is { IsActive: true };

        await using var session = user is null ? store.LightweightSession() : store.SessionFor(user.OrganizationId);
        if (!valid)
        {
            var failed = throttle.Failed(now, auth.Value.Lockout);
            session.Store(failed);
            // No address in the log: failures are counted, not attributed.
            log.LogWarning("Failed sign-in attempt ({Failures} in the current window, locked: {Locked})", failed.Failures, failed.IsLocked(now));
            await session.SaveChangesAsync(ct);
            return Problems.Unauthorized("invalid_credentials", "The e-mail address or password is wrong.");
        }

        if (throttle.Failures > 0) session.Delete<LoginThrottle>(email);
        session.Store(user! with { LastLoginAt = now });
        var pair = tokens.Issue(session, user!, user!.OrganizationId);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(pair);
    }
}
