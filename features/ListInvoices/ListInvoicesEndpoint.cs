using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListInvoices;

/// <summary>The subscription's invoices, newest first: amount, status, period and where to pay or read them.</summary>
public sealed class ListInvoicesEndpoint(IMessageBus bus) : Endpoint<ListInvoicesRequest, Results<Ok<InvoicesPage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/billing/invoices");
        Policies(Identity.Policies.Admin);
        Options(b => b.RequiresScope(ApiKeyScope.Billing));
        Description(d => d.WithName("ListInvoices").WithSummary("Subscription invoices, newest first (cursor pagination)").WithTags("Billing"));
    }

    public override async Task<Results<Ok<InvoicesPage>, ProblemHttpResult>> ExecuteAsync(ListInvoicesRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<InvoicesPage>>(caller.Tenant,
            new ListInvoices(caller.OrganizationId, req.Status, req.Cursor, req.Limit), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
