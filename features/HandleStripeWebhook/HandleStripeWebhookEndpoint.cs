using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.HandleStripeWebhook;

/// <summary>Stripe reports payments here: 200 for every correctly signed event, 400 for anything else.</summary>
public sealed class HandleStripeWebhookEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<StripeWebhookResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/billing/webhooks/stripe");
        AllowAnonymous();
        Description(d => d.WithName("HandleStripeWebhook").WithSummary("Stripe webhook (signed by Stripe)").WithTags("Billing")
            .ProducesProblem(400).ProducesProblem(413));
    }

    public override async Task<Results<Ok<StripeWebhookResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        // Bytes, whatever the Content-Type's charset claims: the signature is over the raw body (the size limit is Kestrel's).
        using var body = new MemoryStream();
        await HttpContext.Request.Body.CopyToAsync(body, ct);
        var outcome = await bus.InvokeAsync<Outcome<StripeWebhookResponse>>(
            new HandleStripeWebhook(body.ToArray(), HttpContext.Request.Headers["Stripe-Signature"].ToString()), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
