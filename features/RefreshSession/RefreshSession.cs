namespace BaseAgency.Features.RefreshSession;

public sealed record RefreshRequest(string RefreshToken);

public sealed record RefreshSession(string RefreshToken);
