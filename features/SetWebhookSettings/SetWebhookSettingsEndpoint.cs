using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.SetWebhookSettings;

/// <summary>The organization's event settings: the available-credits threshold below which <c>credits.low</c> is sent.</summary>
public sealed class SetWebhookSettingsEndpoint(IMessageBus bus) : Endpoint<SetWebhookSettingsRequest, Results<Ok<WebhookSettingsView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/webhooks/settings");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("SetWebhookSettings").WithSummary("Set the low-credits threshold for credits.low").WithTags("Webhooks")
            .ProducesProblem(400));
    }

    public override async Task<Results<Ok<WebhookSettingsView>, ProblemHttpResult>> ExecuteAsync(SetWebhookSettingsRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<WebhookSettingsView>>(caller.Tenant,
            new SetWebhookSettings(caller.OrganizationId, req.LowCreditsThreshold), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
