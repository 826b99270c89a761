using BaseAgency.Identity;

namespace BaseAgency.Features.ChangeMemberRole;

public sealed record ChangeMemberRoleRequest(Role Role);

public sealed record ChangeMemberRole(Guid MemberId, Role Role, Role CallerRole);
