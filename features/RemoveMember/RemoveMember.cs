using BaseAgency.Identity;

namespace BaseAgency.Features.RemoveMember;

public sealed record RemoveMember(Guid OrganizationId, Guid MemberId, Role CallerRole, Guid CallerId);

public sealed record MemberRemoved(Guid UserId);
