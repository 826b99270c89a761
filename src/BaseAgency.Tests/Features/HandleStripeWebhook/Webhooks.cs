using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.HandleStripeWebhook;

/// <summary>Delivering webhook bodies as Stripe does: POSTed as JSON, signed now with the endpoint's secret.</summary>
public static class Webhooks
{
    public static async Task<JsonObject> DeliverWebhookAsync(this IAlbaHost host, string payload, int status = 200) =>
        await (await host.DeliverWebhookResultAsync(payload, status)).JsonAsync();

    public static Task<IScenarioResult> DeliverWebhookResultAsync(this IAlbaHost host, string payload, int status) =>
        host.PostWebhookAsync(payload, FakeStripe.Sign(payload, DateTimeOffset.UtcNow), status);

    public static Task<IScenarioResult> PostWebhookAsync(this IAlbaHost host, string payload, string? signature, int status) =>
        host.Scenario(s =>
        {
            s.Post.Url("/api/billing/webhooks/stripe");
            s.Body.TextIs(payload);
            s.ConfigureHttpContext(c => c.Request.ContentType = "application/json; charset=utf-8");
            if (signature is not null) s.WithRequestHeader("Stripe-Signature", signature);
            s.StatusCodeShouldBe(status);
        });
}
