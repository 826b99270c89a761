using BaseAgency.Identity;

namespace BaseAgency.Features.InviteMember;

public sealed record InviteMemberRequest(string Email, Role Role = Role.Member);

public sealed record InviteMember(Guid OrganizationId, Guid InviterId, string Email, Role Role);

/// <summary>The token is what would be e-mailed; it is shown once and stored only as a hash.</summary>
public sealed record InvitationResponse(string Id, string Email, Role Role, DateTimeOffset ExpiresAt, string Token);
