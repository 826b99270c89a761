using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetSubscription;

/// <summary>The plan, its period, a pending downgrade, and what is left of this period's quotas.</summary>
public sealed class GetSubscriptionEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<SubscriptionResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/subscription");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetSubscription").WithSummary("The organization's subscription and quotas").WithTags("Subscription"));
    }

    public override async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<SubscriptionResponse>>(caller.Tenant, new GetSubscription(caller.OrganizationId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
