using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.HandleStripeWebhook;

/// <summary>Stripe reports checkout sessions here.</summary>
public sealed class HandleStripeWebhookEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<StripeWebhookResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/billing/webhooks/stripe");
        AllowAnonymous();
        Description(d => d.WithName("HandleStripeWebhook").WithSummary("Stripe webhook (signed by Stripe)").WithTags("Billing")
            .ProducesProblem(400));
    }

    public override async Task<Results<Ok<StripeWebhookResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        using var reader = new StreamReader(HttpContext.Request.Body);
        var payload = await reader.ReadToEndAsync(ct);
        var outcome = await bus.InvokeAsync<Outcome<StripeWebhookResponse>>(
            new HandleStripeWebhook(payload, HttpContext.Request.Headers["Stripe-Signature"].ToString()), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
