namespace BaseAgency.Features.Logout;

public sealed record LogoutRequest(string RefreshToken);

public sealed record Logout(string RefreshToken);
