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
        session.Store(key with { RevokedAt = clock.GetUtcNow() });
        key.ForgetOnCommit(session, cache);
        return new ApiKeyRevoked(key.Id);
    }
}
