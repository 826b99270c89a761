using BaseAgency.Platform;
using BaseAgency.Http;
using BaseAgency.Identity;
using Marten;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Features.RevokeApiKey;

public static class RevokeApiKeyHandler
{
    // A rotation or a last-use write committed between load and store: revoke what is there now.
    public static void Configure(HandlerChain chain) => chain.OnException<JasperFx.ConcurrencyException>().RetryTimes(3);

    public static async Task<Outcome<ApiKeyRevoked>> Handle(RevokeApiKey command, IDocumentSession session, IFusionCache cache, TimeProvider clock,
        CancellationToken ct)
    {
        if (await session.LoadAsync<ApiKey>(command.KeyId, ct) is not { } key) return Problems.NotFound("The API key");
        if (key.RevokedAt is not null) return new ApiKeyRevoked(key.Id);
        var now = clock.GetUtcNow();
        session.Store(key with { RevokedAt = now });
        session.Insert(AuditEntry.Changed(command.ActorId, key.OrganizationId, "api_key.revoked", "api_keys", key.Id.ToString(), now,
            ("status", "active", "revoked")));
        key.ForgetOnCommit(session, cache);
        return new ApiKeyRevoked(key.Id);
    }
}
