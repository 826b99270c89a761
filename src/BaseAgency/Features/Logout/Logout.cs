using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;
using Marten;

namespace BaseAgency.Features.Logout;

public sealed record LogoutRequest(string RefreshToken);

public sealed class LogoutValidator : Validator<LogoutRequest>
{
    public LogoutValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

/// <summary>
/// POST /api/auth/logout: revokes the refresh token and every token of its family. Always 204, so it
/// tells nothing about the token. Access tokens already issued expire on their own (15 minutes).
/// </summary>
public sealed class LogoutEndpoint(IDocumentStore store, TimeProvider clock) : Endpoint<LogoutRequest>
{
    public override void Configure()
    {
        Post("/auth/logout");
        AllowAnonymous();
        Description(d => d.WithName("Logout").WithSummary("Revoke a refresh token and its family").WithTags("Identity")
            .Produces(204).ProducesProblem(400), clearDefaults: true);
    }

    public override async Task HandleAsync(LogoutRequest req, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var token = await session.LoadAsync<RefreshToken>(RefreshToken.HashOf(req.RefreshToken), ct);
        if (token is not null)
        {
            RefreshToken.RevokeFamily(session, token.FamilyId, clock.GetUtcNow());
            await session.SaveChangesAsync(ct);
        }
        await Send.NoContentAsync(ct);
    }
}
