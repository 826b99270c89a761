using BaseAgency.Secrets;
using BaseAgency.Identity;
using BaseAgency.Organizations;

namespace BaseAgency.Features.SignUp;

public sealed record SignUpRequest(string Name, string Email, string Password, string OrganizationName);

/// <param name="OrganizationId">Chosen by the caller, so the command runs in the new organization's tenant.</param>
public sealed record SignUp(Guid OrganizationId, string Name, string Email, Secret Password, string OrganizationName);

public sealed record SignUpResponse(MemberView User, OrganizationView Organization, TokenPair Tokens);
