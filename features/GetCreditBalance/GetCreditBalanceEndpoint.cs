using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetCreditBalance;

/// <summary>What the organization holds, by bucket, in the order it will be spent.</summary>
public sealed class GetCreditBalanceEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<CreditBalanceResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/credits/balance");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetCreditBalance").WithSummary("The organization's credit balance").WithTags("Credits"));
    }

    public override async Task<Results<Ok<CreditBalanceResponse>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<CreditBalanceResponse>>(caller.Tenant, new GetCreditBalance(caller.OrganizationId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
