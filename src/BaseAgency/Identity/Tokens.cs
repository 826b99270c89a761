using System.Security.Claims;
using Marten;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BaseAgency.Identity;

/// <summary>What every sign-in answers with: a short-lived bearer token and a refresh token.</summary>
public sealed record TokenPair(
    string AccessToken,
    string TokenType,
    int ExpiresIn,
    DateTimeOffset ExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt);

/// <summary>Issues access tokens (JWT, HS256) and refresh tokens (opaque, stored hashed).</summary>
public sealed class Tokens(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly AuthOptions _options = options.Value;
    private static readonly JsonWebTokenHandler Handler = new();

    public SymmetricSecurityKey SigningKey { get; } = new(Convert.FromBase64String(options.Value.SigningKey));

    /// <summary>Issues a pair and stages the refresh token in <paramref name="session"/>: it commits with the caller's unit of work.</summary>
    public TokenPair Issue(IDocumentSession session, User user, Guid organizationId, Guid? familyId = null)
    {
        var now = clock.GetUtcNow();
        var secret = RefreshToken.NewSecret();
        var refresh = RefreshToken.Issue(secret, user.Id, organizationId, familyId ?? Guid.NewGuid(), now, _options.RefreshTokenLifetime);
        session.Store(refresh);

        var expires = now + _options.AccessTokenLifetime;
        return new TokenPair(AccessToken(user, organizationId, now, expires), "Bearer",
            (int)_options.AccessTokenLifetime.TotalSeconds, expires, secret, refresh.ExpiresAt);
    }

    public string AccessToken(User user, Guid organizationId, DateTimeOffset issuedAt, DateTimeOffset expires) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(Caller.UserIdClaim, user.Id.ToString()),
                new Claim(Caller.OrganizationClaim, organizationId.ToString()),
                new Claim(Caller.RoleClaim, Caller.ClaimValue(user.Role)),
                new Claim("jti", Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
}
