using BaseAgency.Identity;
using Marten;

namespace BaseAgency.Features.Logout;

/// <summary>
/// Revokes the refresh token and every token of its family. Access tokens already issued expire on their
/// own (15 minutes).
/// </summary>
public static class LogoutHandler
{
    public static async Task Handle(Logout command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var token = await session.LoadAsync<RefreshToken>(RefreshToken.HashOf(command.RefreshToken.Value), ct);
        if (token is not null) RefreshToken.RevokeFamily(session, token.FamilyId, clock.GetUtcNow());
    }
}
