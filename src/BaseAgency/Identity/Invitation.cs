using System.Security.Cryptography;
using BaseAgency.Organizations;

namespace BaseAgency.Identity;

/// <summary>
/// An invitation to join an organization. The token handed out is "{organizationId:N}.{secret}": the
/// organization part tells us which tenant to look in, and only the secret's hash is stored (as the id).
/// </summary>
public sealed record Invitation(
    string Id,
    string Email,
    Role Role,
    Guid InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt = null,
    Guid? AcceptedUserId = null) : IOrganizationOwned
{
    public bool IsPending(DateTimeOffset now) => AcceptedAt is null && ExpiresAt > now;

    public static (string Token, string Id) NewToken(Guid organizationId)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        return ($"{organizationId:N}.{secret}", RefreshToken.HashOf(secret));
    }

    public static (Guid OrganizationId, string Id)? ParseToken(string token)
    {
        var parts = token.Split('.', 2);
        return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var org) && parts[1].Length >= 32
            ? (org, RefreshToken.HashOf(parts[1]))
            : null;
    }
}
