using BaseAgency.Identity;

namespace BaseAgency.Features.ListMembers;

public sealed record ListMembers(Guid OrganizationId);

public sealed record MembersResponse(IReadOnlyList<MemberView> Items);
