namespace BaseAgency.Identity;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Base64 HMAC-SHA256 key, at least 32 bytes. Env: Auth__SigningKey.</summary>
    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "base-agency";
    public string Audience { get; set; } = "base-agency";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);
    public LockoutOptions Lockout { get; set; } = new();

    /// <summary>
    /// Grant a new organization's Free credits only once its first admin's e-mail address is verified. Verification needs
    /// e-mail delivery, which this version does not have yet, so the service refuses to start with it on rather than
    /// pretend to check: it can only be off.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; }
}
