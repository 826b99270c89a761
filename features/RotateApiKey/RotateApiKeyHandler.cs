using BaseAgency.Platform;
using BaseAgency.Http;
using BaseAgency.Identity;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Features.RotateApiKey;

/// <summary>
/// A second rotation within an overlap ends the first one's: at most two secrets of a key work at a time. Two
/// rotations at once cannot both win (the key is versioned); the loser is retried on what the winner stored.
/// </summary>
public static class RotateApiKeyHandler
{
    public static void Configure(HandlerChain chain) => chain.OnException<JasperFx.ConcurrencyException>().RetryTimes(3);

    public static async Task<Outcome<RotatedApiKey>> Handle(RotateApiKey command, IDocumentSession session, IFusionCache cache,
        IOptions<ApiKeyOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await session.LoadAsync<ApiKey>(command.KeyId, ct) is not { } key) return Problems.NotFound("The API key");
        if (!key.IsUsable(now)) return Problems.Conflict("api_key_not_active", "A revoked or expired key cannot be rotated.", "Create a new key.");

        var secret = ApiKey.NewSecret();
        var rotated = key.Rotated(secret, options.Value.PepperBytes(), now + command.Overlap);
        session.Store(rotated);
        session.Insert(AuditEntry.Changed(command.ActorId, key.OrganizationId, "api_key.rotated", "api_keys", key.Id.ToString(), now,
            ("prefix", key.Prefix, rotated.Prefix)));
        key.ForgetOnCommit(session, cache);
        return new RotatedApiKey(ApiKeyView.Of(rotated), secret);
    }
}
