using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.MarkInvoicePaid;

/// <summary>With manual billing, an operator confirms a subscription invoice was paid. Marking twice changes nothing. Audited.</summary>
public sealed class MarkInvoicePaidEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<InvoiceView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/admin/invoices/{invoiceId:guid}/mark-paid");
        Policies(Identity.Policies.SuperAdmin);
        Options(b => b.Idempotent());
        Description(d => d.WithName("MarkInvoicePaid").WithSummary("Confirm a manual subscription invoice was paid (operators)").WithTags("Admin")
            .ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<InvoiceView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        // Not for the operator's own organization: the handler finds the invoice in whichever it belongs to.
        var outcome = await bus.InvokeAsync<Outcome<InvoiceView>>(new MarkInvoicePaid(Route<Guid>("invoiceId"), User.Required().UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
