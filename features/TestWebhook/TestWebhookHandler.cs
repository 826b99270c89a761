using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Plans;
using BaseAgency.Webhooks;
using Marten;
using Wolverine;

namespace BaseAgency.Features.TestWebhook;

public static class TestWebhookHandler
{
    /// <summary>
    /// A <c>webhook.test</c> event for this endpoint alone: stored (a delivery reads its event by id) but not announced, so no
    /// other endpoint and no live stream hears it. Tried once.
    /// </summary>
    public static async Task<Outcome<WebhookTestSent>> Handle(TestWebhook command, IDocumentSession session, IMessageContext bus, TimeProvider clock,
        CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookEndpoint>(command.EndpointId, ct) is not { } endpoint) return Problems.NotFound("The webhook");
        if (!endpoint.Enabled) return WebhookRules.Disabled();
        if (WebhookRules.PlanRefusal((await session.CurrentPlanAsync(command.OrganizationId, ct)).Plan) is { } refused) return refused;
        var now = clock.GetUtcNow();
        var test = new OrganizationEvent(Guid.CreateVersion7(now), command.OrganizationId, WebhookEvents.Test, now,
            System.Text.Json.JsonSerializer.SerializeToElement(new { webhookId = endpoint.Id, message = "A test event from BASE Agency." }));
        session.Insert(test);
        await bus.SendAsync(new Webhooks.DeliverWebhook(command.OrganizationId, endpoint.Id, test.Id, 1, Manual: true));
        return new WebhookTestSent(test.Id);
    }
}
