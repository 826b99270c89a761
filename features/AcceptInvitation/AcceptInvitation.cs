using BaseAgency.Secrets;
using BaseAgency.Identity;
using BaseAgency.Organizations;

namespace BaseAgency.Features.AcceptInvitation;

public sealed record AcceptInvitationRequest(string Token, string Name, string Password);

/// <param name="InvitationId">The hash of the token's secret, under which the invitation is stored.</param>
public sealed record AcceptInvitation(Guid OrganizationId, string InvitationId, string Name, Secret Password);

public sealed record AcceptInvitationResponse(MemberView User, OrganizationView Organization, TokenPair Tokens);
