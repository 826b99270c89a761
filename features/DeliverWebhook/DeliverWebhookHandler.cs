using BaseAgency.Events;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using BaseAgency.Providers.Keys;
using BaseAgency.Webhooks;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.DeliverWebhook;

/// <summary>
/// One attempt: sign, POST, record what happened; on failure schedule the next attempt (Wolverine's durable scheduling) or,
/// after a 410 or too many failures in a row, switch the endpoint off, audited, and tell the organization (a
/// <c>webhook.disabled</c> event). A retry carries the same event id, so a receiver can tell it from a new event.
/// </summary>
public static class DeliverWebhookHandler
{
    public static async Task Handle(Webhooks.DeliverWebhook command, IDocumentSession session, IMessageContext bus, IDocumentStore store,
        WebhookSender sender, KeyVault vault, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken ct)
    {
        // Read in a session of its own, closed before the POST: a slow receiver must not hold a database connection.
        WebhookEndpoint? endpoint;
        OrganizationEvent? recorded;
        await using (var query = store.QueryFor(command.OrganizationId))
        {
            endpoint = await query.LoadAsync<WebhookEndpoint>(command.EndpointId, ct);
            recorded = await query.LoadAsync<OrganizationEvent>(command.EventId, ct);
        }
        // Deleted or switched off since: pending retries end here.
        if (endpoint is not { Enabled: true } || recorded is null) return;

        var now = clock.GetUtcNow();
        var id = recorded.Id.ToString();
        var timestamp = now.ToUnixTimeSeconds();
        var body = WebhookAttempts.BodyOf(recorded);
        var secrets = WebhookAttempts.SigningSecrets(endpoint, now).Select(s => vault.Open(s, endpoint.AssociatedData()));
        var response = await sender.PostAsync(endpoint.Url, id, timestamp, WebhookSigning.SignatureOf(secrets, id, timestamp, body), body, ct);

        // Deliveries to one endpoint run side by side: its failure count is updated one at a time, after the (slow) POST.
        await session.LockRowAsync<WebhookEndpoint>(endpoint.Id, ct);
        if (await session.LoadAsync<WebhookEndpoint>(endpoint.Id, ct) is not { } current) return;
        var failures = response.Delivered ? 0 : current.ConsecutiveFailures + 1;
        var disable = current.Enabled ? WebhookAttempts.DisableReason(response, failures, options.Value.DisableAfterFailures) : null;
        var next = response.Delivered || disable is not null ? null : WebhookAttempts.NextDelay(command.Attempt, command.Manual, options.Value.Retries);

        session.Insert(new WebhookDelivery(Guid.CreateVersion7(now), endpoint.Id, recorded.Id, recorded.Type, command.Attempt, command.Manual,
            response.Delivered ? WebhookDeliveryStatus.Delivered : WebhookDeliveryStatus.Failed, response.HttpStatus, response.DurationMs,
            response.Excerpt, response.Error, now, now + next));
        var updated = disable is null
            ? current with { ConsecutiveFailures = failures }
            : current with { Enabled = false, ConsecutiveFailures = failures, DisabledReason = disable, DisabledAt = now };
        if (updated != current) session.Store(updated);
        if (disable is not null) await TellAsync(session, bus, updated, now);
        if (next is { } delay) await bus.SendAsync(command with { Attempt = command.Attempt + 1 }, delay);
    }

    /// <summary>Audited, and told to the organization as an event (its admins' notice until there is e-mail).</summary>
    private static async Task TellAsync(IDocumentSession session, IMessageContext bus, WebhookEndpoint endpoint, DateTimeOffset now)
    {
        session.Store(new AuditEntry(Guid.CreateVersion7(now), null, WebhookEvents.Disabled, endpoint.OrganizationId, endpoint.DisabledReason!, now)
        {
            ResourceType = "webhooks",
            ResourceId = endpoint.Id.ToString(),
            Changes = new Dictionary<string, AuditChange> { ["enabled"] = new("true", "false") },
        });
        await OrganizationEvents.RecordAsync(session, bus, endpoint.OrganizationId, WebhookEvents.Disabled,
            WebhookEndpointView.Of(endpoint), now);
    }
}
