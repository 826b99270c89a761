using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListCreditTransactions;

/// <summary>The statement, newest first, a page at a time.</summary>
public sealed class ListCreditTransactionsEndpoint(IMessageBus bus)
    : Endpoint<ListCreditTransactionsRequest, Results<Ok<CreditTransactionsPage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/credits/transactions");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListCreditTransactions").WithSummary("Credit statement, newest first (cursor pagination)").WithTags("Credits"));
    }

    public override async Task<Results<Ok<CreditTransactionsPage>, ProblemHttpResult>> ExecuteAsync(ListCreditTransactionsRequest req,
        CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<CreditTransactionsPage>>(caller.Tenant,
            new ListCreditTransactions(caller.OrganizationId, req.Type, req.Cursor, req.Limit), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
