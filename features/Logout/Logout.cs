using BaseAgency.Secrets;
namespace BaseAgency.Features.Logout;

public sealed record LogoutRequest(string RefreshToken);

public sealed record Logout(Secret RefreshToken);
