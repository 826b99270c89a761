using BaseAgency.Secrets;
namespace BaseAgency.Features.RefreshSession;

public sealed record RefreshRequest(string RefreshToken);

public sealed record RefreshSession(Secret RefreshToken);
