using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using FastEndpoints;
using FluentValidation;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.RefreshSession;

public sealed record RefreshRequest(string RefreshToken);

public sealed class RefreshValidator : Validator<RefreshRequest>
{
    public RefreshValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

/// <summary>
/// POST /api/auth/refresh: trades a refresh token for a new pair. The old token is spent; presenting a
/// spent token again revokes its whole family (every token descended from the same sign-in).
/// </summary>
public sealed class RefreshSessionEndpoint(IDocumentStore store, Tokens tokens, TimeProvider clock)
    : Endpoint<RefreshRequest, Results<Ok<TokenPair>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/auth/refresh");
        AllowAnonymous();
        Description(d => d.WithName("RefreshSession").WithSummary("Rotate a refresh token for a new token pair").WithTags("Identity")
            .ProducesProblem(400).ProducesProblem(401));
    }

    public override async Task<Results<Ok<TokenPair>, ProblemHttpResult>> ExecuteAsync(RefreshRequest req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var platform = store.LightweightSession();
        var token = await platform.LoadAsync<RefreshToken>(RefreshToken.HashOf(req.RefreshToken), ct);
        if (token is null) return Invalid();

        switch (token.Check(now))
        {
            case RefreshVerdict.Reused:
                await RevokeFamily(platform, token.FamilyId, now, ct);
                return Problems.Unauthorized("refresh_token_reused",
                    "This refresh token was already used; every session from that sign-in has been revoked.");
            case RefreshVerdict.Expired or RefreshVerdict.Revoked:
                return Invalid();
        }

        await using var session = store.SessionFor(token.OrganizationId);
        var user = await session.LoadAsync<User>(token.UserId, ct);
        if (user is not { IsActive: true }) return Invalid();

        session.Store(token with { UsedAt = now });
        var pair = tokens.Issue(session, user, token.OrganizationId, token.FamilyId);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ConcurrencyException or ConcurrentUpdateException)
        {
            // Another request spent this token a moment ago: that is reuse too.
            await RevokeFamily(platform, token.FamilyId, now, ct);
            return Problems.Unauthorized("refresh_token_reused", "This refresh token was already used.");
        }
        return TypedResults.Ok(pair);
    }

    private static async Task RevokeFamily(IDocumentSession session, Guid familyId, DateTimeOffset now, CancellationToken ct)
    {
        RefreshToken.RevokeFamily(session, familyId, now);
        await session.SaveChangesAsync(ct);
    }

    private static ProblemHttpResult Invalid() =>
        Problems.Unauthorized("invalid_refresh_token", "The refresh token is unknown, expired or revoked.");
}
