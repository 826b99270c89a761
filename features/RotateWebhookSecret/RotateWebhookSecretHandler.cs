using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Providers.Keys;
using BaseAgency.Webhooks;
using Marten;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.RotateWebhookSecret;

public static class RotateWebhookSecretHandler
{
    public static async Task<Outcome<RotatedWebhookSecret>> Handle(RotateWebhookSecret command, IDocumentSession session, KeyVault vault,
        IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct)
    {
        await session.LockRowAsync<WebhookEndpoint>(command.EndpointId, ct);
        if (await session.LoadAsync<WebhookEndpoint>(command.EndpointId, ct) is not { } endpoint) return Problems.NotFound("The webhook");
        var secret = WebhookSigning.NewSecret();
        var until = clock.GetUtcNow() + options.Value.RotationOverlap;
        session.Store(endpoint with { Secret = vault.Seal(secret, endpoint.AssociatedData()), PreviousSecret = endpoint.Secret, PreviousSecretUntil = until });
        return new RotatedWebhookSecret(endpoint.Id, secret, until);
    }
}
