using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.VerifyLedger;

/// <summary>Replays the events and compares with the stored views.</summary>
public sealed class VerifyLedgerEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<LedgerVerification>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/credits/ledger/verify");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("VerifyLedger").WithSummary("Replay the credit ledger and compare with the stored balance").WithTags("Credits"));
    }

    public override async Task<Results<Ok<LedgerVerification>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<LedgerVerification>>(caller.Tenant, new VerifyLedger(caller.OrganizationId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
