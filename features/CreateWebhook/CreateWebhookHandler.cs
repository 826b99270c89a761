using BaseAgency.Http;
using BaseAgency.Plans;
using BaseAgency.Providers.Keys;
using BaseAgency.Webhooks;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.CreateWebhook;

public static class CreateWebhookHandler
{
    public static async Task<Outcome<CreatedWebhook>> Handle(CreateWebhook command, IDocumentSession session, WebhookSender sender, KeyVault vault,
        TimeProvider clock, CancellationToken ct)
    {
        var (_, plan) = await session.CurrentPlanAsync(command.OrganizationId, ct);
        var req = command.Request;
        if (WebhookRules.Refusal(plan, req.Url, sender.RequireHttps) is { } problem) return problem;

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var secret = WebhookSigning.NewSecret();
        var endpoint = new WebhookEndpoint(id, command.OrganizationId, req.Url, req.Events, req.Description?.Trim(),
            vault.Seal(secret, WebhookEndpoint.AssociatedData(command.OrganizationId, id)), now, command.UserId);
        session.Insert(endpoint);
        return new CreatedWebhook(WebhookEndpointView.Of(endpoint), secret);
    }
}
