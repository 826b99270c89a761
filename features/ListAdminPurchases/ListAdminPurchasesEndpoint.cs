using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListAdminPurchases;

/// <summary>Purchases across organizations, newest first: operators find the ones waiting for review.</summary>
public sealed class ListAdminPurchasesEndpoint(IMessageBus bus)
    : Endpoint<ListAdminPurchasesRequest, Results<Ok<AdminPurchasesPage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/admin/purchases");
        Policies(Identity.Policies.SuperAdmin);
        Description(d => d.WithName("ListAdminPurchases").WithSummary("Purchases of every organization, newest first (operators)")
            .WithTags("Admin"));
    }

    public override async Task<Results<Ok<AdminPurchasesPage>, ProblemHttpResult>> ExecuteAsync(ListAdminPurchasesRequest req, CancellationToken ct)
    {
        // Not in the operator's own organization: the handler reads across all of them.
        var outcome = await bus.InvokeAsync<Outcome<AdminPurchasesPage>>(
            new ListAdminPurchases(req.Status is { } status ? ListAdminPurchasesRequest.Statuses[status] : null, req.OrganizationId, req.Cursor, req.Limit), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
