using Microsoft.AspNetCore.Identity;

namespace BaseAgency.Identity;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher, without the rest of Identity.</summary>
public static class Passwords
{
    public const int MinimumLength = 10;
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Nobody = new();

    // Verifying against this when no user matches keeps a failed login's timing the same either way.
    private static readonly string DecoyHash = Hasher.HashPassword(Nobody, Guid.NewGuid().ToString());

    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    public static bool Verify(string? hash, string password) =>
        Hasher.VerifyHashedPassword(Nobody, hash ?? DecoyHash, password) != PasswordVerificationResult.Failed
        && hash is not null;
}
