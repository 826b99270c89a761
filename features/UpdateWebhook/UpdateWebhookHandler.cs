using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Webhooks;
using Marten;

namespace BaseAgency.Features.UpdateWebhook;

public static class UpdateWebhookHandler
{
    /// <summary>The endpoint as the request leaves it; re-enabling starts its count of failures afresh.</summary>
    public static WebhookEndpoint Updated(WebhookEndpoint endpoint, UpdateWebhookRequest req, DateTimeOffset now)
    {
        var updated = endpoint with
        {
            Url = req.Url ?? endpoint.Url,
            Events = req.Events ?? endpoint.Events,
            Description = req.Description is null ? endpoint.Description : req.Description.Trim(),
        };
        return req.Enabled switch
        {
            true when !endpoint.Enabled => updated with { Enabled = true, ConsecutiveFailures = 0, DisabledReason = null, DisabledAt = null },
            false when endpoint.Enabled => updated with { Enabled = false, DisabledReason = "Disabled by an admin.", DisabledAt = now },
            _ => updated,
        };
    }

    public static async Task<Outcome<WebhookEndpointView>> Handle(UpdateWebhook command, IDocumentSession session, WebhookSender sender,
        TimeProvider clock, CancellationToken ct)
    {
        // Deliveries update the failure count under this lock too: neither overwrites the other.
        await session.LockRowAsync<WebhookEndpoint>(command.EndpointId, ct);
        if (await session.LoadAsync<WebhookEndpoint>(command.EndpointId, ct) is not { } endpoint) return Problems.NotFound("The webhook");
        var updated = Updated(endpoint, command.Request, clock.GetUtcNow());
        var (_, plan) = await session.CurrentPlanAsync(command.OrganizationId, ct);
        // Switching an endpoint off needs no plan; anything that keeps it sending, or points it elsewhere, does.
        if ((updated.Enabled || command.Request.Url is not null) &&
            WebhookRules.Refusal(plan, command.Request.Url, sender.RequireHttps) is { } problem) return problem;
        session.Store(updated);
        return WebhookEndpointView.Of(updated);
    }
}
