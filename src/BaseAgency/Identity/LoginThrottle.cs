namespace BaseAgency.Identity;

/// <summary>
/// Failed sign-ins for one e-mail address, kept whether or not an account has that address, so that
/// a lockout says nothing about which addresses exist.
/// </summary>
public sealed record LoginThrottle(string Id, int Failures, DateTimeOffset WindowStart, DateTimeOffset? LockedUntil)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;

    /// <summary>Whole seconds until the lock lifts (rounded up, so a client that waits them is let in); 0 when not locked.</summary>
    public int SecondsLocked(DateTimeOffset now) =>
        LockedUntil is { } until && until > now ? (int)Math.Ceiling((until - now).TotalSeconds) : 0;

    public LoginThrottle Failed(DateTimeOffset now, LockoutOptions rules)
    {
        // Failures count within one window; an old streak does not add to a new one.
        var fresh = now - WindowStart > rules.Window || LockedUntil <= now;
        var failures = fresh ? 1 : Failures + 1;
        var start = fresh ? now : WindowStart;
        return failures >= rules.MaxFailedAttempts
            ? this with { Failures = 0, WindowStart = now, LockedUntil = now + rules.LockoutDuration }
            : this with { Failures = failures, WindowStart = start, LockedUntil = null };
    }

    public static LoginThrottle Start(string email, DateTimeOffset now) => new(email, 0, now, null);
}

public sealed class LockoutOptions
{
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
