using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.SetSpendCap;

/// <summary>The organization's monthly spending cap: submissions that would pass it are refused (403 <c>spend_cap_reached</c>).</summary>
public sealed class SetSpendCapEndpoint(IMessageBus bus) : Endpoint<SetSpendCapRequest, Results<Ok<SpendCapView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/credits/spend-cap");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("SetSpendCap").WithSummary("Set or remove the monthly spending cap").WithTags("Credits").ProducesProblem(400));
    }

    public override async Task<Results<Ok<SpendCapView>, ProblemHttpResult>> ExecuteAsync(SetSpendCapRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<SpendCapView>>(caller.Tenant,
            new SetSpendCap(caller.OrganizationId, caller.UserId, req.MonthlyCredits), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
