using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.RefreshSession;

/// <summary>
/// Trades a refresh token for a new pair. The old token is spent; presenting a spent token again revokes
/// its whole family (every token descended from the same sign-in).
/// </summary>
public static class RefreshSessionHandler
{
    /// <summary>
    /// Another request spent this token a moment ago: run again, and the command meets the token as spent,
    /// which is reuse too, so the family is revoked.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().Or<ConcurrentUpdateException>().RetryOnce();

    public static async Task<Outcome<TokenPair>> Handle(RefreshSession command, IDocumentSession session, Tokens tokens, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var token = await session.LoadAsync<RefreshToken>(RefreshToken.HashOf(command.RefreshToken.Value), ct);
        if (token is null) return Invalid();

        switch (token.Check(now))
        {
            case RefreshVerdict.Reused:
                // This problem stages an effect on purpose: a replayed token was stolen or leaked, so its family
                // is revoked (committed with this answer) as well as refused.
                RefreshToken.RevokeFamily(session, token.FamilyId, now);
                return Problems.Unauthorized("refresh_token_reused",
                    "This refresh token was already used; every session from that sign-in has been revoked.");
            case RefreshVerdict.Expired or RefreshVerdict.Revoked:
                return Invalid();
        }

        var user = await session.ForTenant(Tenancy.TenantOf(token.OrganizationId)).LoadAsync<User>(token.UserId, ct);
        if (user is not { IsActive: true }) return Invalid();

        // The token's version makes a second rotation of it fail at commit (see the endpoint).
        session.Store(token with { UsedAt = now });
        return tokens.Issue(session, user, token.OrganizationId, token.FamilyId);
    }

    private static ProblemHttpResult Invalid() =>
        Problems.Unauthorized("invalid_refresh_token", "The refresh token is unknown, expired or revoked.");
}
