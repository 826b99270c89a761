using System.Security.Cryptography;
using System.Text;
using Marten;
using Marten.Patching;
using Marten.Schema;

namespace BaseAgency.Identity;

/// <summary>
/// An opaque refresh token, stored only as its SHA-256. Every use replaces it with a new one of the same
/// family; presenting a replaced token again means it was stolen or replayed, and the whole family dies.
/// </summary>
public sealed record RefreshToken(
    string Id,
    Guid UserId,
    Guid OrganizationId,
    Guid FamilyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt = null,
    DateTimeOffset? RevokedAt = null)
{
    /// <summary>Marten's optimistic concurrency version: two rotations of one token cannot both commit.</summary>
    [Version]
    public Guid Version { get; set; }

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static RefreshToken Issue(string secret, Guid userId, Guid organizationId, Guid familyId, DateTimeOffset now, TimeSpan lifetime) =>
        new(HashOf(secret), userId, organizationId, familyId, now, now + lifetime);

    public RefreshVerdict Check(DateTimeOffset now) => this switch
    {
        { RevokedAt: not null } => RefreshVerdict.Revoked,
        { UsedAt: not null } => RefreshVerdict.Reused,
        _ when ExpiresAt <= now => RefreshVerdict.Expired,
        _ => RefreshVerdict.Valid,
    };

    // Revocation is a patch rather than load-and-store, so concurrent revocations never conflict.
    // Both stage the change in the caller's unit of work.
    public static void RevokeFamily(IDocumentSession session, Guid familyId, DateTimeOffset now) =>
        session.Patch<RefreshToken>(t => t.FamilyId == familyId && t.RevokedAt == null).Set(t => t.RevokedAt, (DateTimeOffset?)now);

    public static void RevokeAllOf(IDocumentSession session, Guid userId, DateTimeOffset now) =>
        session.Patch<RefreshToken>(t => t.UserId == userId && t.RevokedAt == null).Set(t => t.RevokedAt, (DateTimeOffset?)now);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public enum RefreshVerdict { Valid, Expired, Reused, Revoked }
