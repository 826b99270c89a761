using BaseAgency.Platform;
using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Identity;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Features.RevokeApiKey;

public static class RevokeApiKeyHandler
{
    // A rotation or a last-use write committed between load and store: revoke what is there now.
    public static void Configure(HandlerChain chain) => chain.OnException<JasperFx.ConcurrencyException>().RetryTimes(3);

    public static async Task<Outcome<ApiKeyRevoked>> Handle(RevokeApiKey command, IDocumentSession session, IFusionCache cache, IMessageContext bus,
        TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<ApiKey>(command.KeyId, ct) is not { } key) return Problems.NotFound("The API key");
        if (key.RevokedAt is not null) return new ApiKeyRevoked(key.Id);
        var now = clock.GetUtcNow();
        var revoked = key with { RevokedAt = now };
        session.Store(revoked);
        session.Insert(AuditEntry.Changed(command.ActorId, key.OrganizationId, "api_key.revoked", "api_keys", key.Id.ToString(), now,
            ("status", "active", "revoked")));
        key.ForgetOnCommit(session, cache);
        await OrganizationEvents.RecordAsync(session, bus, key.OrganizationId, EventTypes.ApiKeyRevoked, ApiKeyEventView.Of(revoked), revoked.RevokedAt!.Value);
        return new ApiKeyRevoked(key.Id);
    }
}
