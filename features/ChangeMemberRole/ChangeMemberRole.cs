using BaseAgency.Identity;

namespace BaseAgency.Features.ChangeMemberRole;

public sealed record ChangeMemberRoleRequest(Role Role);

public sealed record ChangeMemberRole(Guid OrganizationId, Guid MemberId, Role Role, Role CallerRole, Guid CallerId);
