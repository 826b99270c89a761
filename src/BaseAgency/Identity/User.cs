using BaseAgency.Organizations;

namespace BaseAgency.Identity;

/// <summary>A person who signs in. Belongs to exactly one organization (its tenant).</summary>
public sealed record User(
    Guid Id,
    Guid OrganizationId,
    string Email,
    string Name,
    Role Role,
    string PasswordHash,
    DateTimeOffset CreatedAt,
    bool IsActive = true,
    DateTimeOffset? LastLoginAt = null) : IOrganizationOwned
{
    /// <summary>E-mail addresses compare case-insensitively; we store them trimmed and lower-cased.</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}

/// <summary>How a member is shown to other members and to themselves.</summary>
public sealed record MemberView(Guid Id, string Email, string Name, Role Role, DateTimeOffset JoinedAt, DateTimeOffset? LastLoginAt)
{
    public static MemberView Of(User user) => new(user.Id, user.Email, user.Name, user.Role, user.CreatedAt, user.LastLoginAt);
}
