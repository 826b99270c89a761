using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.SetAutoTopUp;

/// <summary>
/// Sets the standing order: when available credits fall below the threshold after a job, the pack is bought by
/// itself (Stripe: charged to the saved payment method; manual: billed), at most once per interval.
/// </summary>
public sealed class SetAutoTopUpEndpoint(IMessageBus bus) : Endpoint<SetAutoTopUpRequest, Results<Ok<AutoTopUpView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/credits/auto-top-up");
        Policies(Identity.Policies.Admin);
        Options(b => b.RequiresScope(ApiKeyScope.Billing));
        Description(d => d.WithName("SetAutoTopUp").WithSummary("Set the auto top-up").WithTags("Credits")
            .ProducesProblem(400).ProducesProblem(422));
    }

    public override async Task<Results<Ok<AutoTopUpView>, ProblemHttpResult>> ExecuteAsync(SetAutoTopUpRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<AutoTopUpView>>(caller.Tenant,
            new SetAutoTopUp(caller.OrganizationId, caller.UserId, req.Enabled, req.ThresholdCredits, req.PackId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
