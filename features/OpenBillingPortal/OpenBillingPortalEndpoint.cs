using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.OpenBillingPortal;

/// <summary>A link to the payment provider's customer portal: payment methods, invoices, receipts.</summary>
public sealed class OpenBillingPortalEndpoint(IMessageBus bus, IOptions<BillingOptions> billing)
    : Endpoint<OpenBillingPortalRequest, Results<Ok<BillingPortalResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/billing/portal");
        Policies(Identity.Policies.Admin);
        Options(b => b.RequiresScope(ApiKeyScope.Billing));
        Description(d => d.WithName("OpenBillingPortal").WithSummary("Open the payment provider's customer portal").WithTags("Billing")
            .ProducesProblem(400).ProducesProblem(409).ProducesProblem(503));
    }

    public override async Task<Results<Ok<BillingPortalResponse>, ProblemHttpResult>> ExecuteAsync(OpenBillingPortalRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<BillingPortalResponse>>(caller.Tenant,
            new OpenBillingPortal(caller.OrganizationId, req.ReturnUrl ?? billing.Value.PortalReturnUrl), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
