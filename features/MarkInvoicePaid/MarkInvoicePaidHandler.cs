using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Wolverine;

namespace BaseAgency.Features.MarkInvoicePaid;

public static class MarkInvoicePaidHandler
{
    public static async Task<Outcome<InvoiceView>> Handle(MarkInvoicePaid command, IQuerySession session, IMessageBus bus, CancellationToken ct)
    {
        var found = await session.Query<Invoice>().Where(i => i.AnyTenant() && i.Id == command.InvoiceId).SingleOrDefaultAsync(ct);
        if (found is null) return Problems.NotFound("The invoice");
        if (found.Provider != ManualPayments.Id)
            return Problems.Conflict("not_manual", "Only invoices paid by hand can be marked paid.",
                $"This invoice is collected by '{found.Provider}', which reports payment itself.");
        if (found.Status is InvoiceStatus.Void or InvoiceStatus.Uncollectible)
            return Problems.Conflict("invoice_closed", "This invoice was closed unpaid; the subscription has moved on without it.");

        // Inline, in the invoice's organization: the operator's answer is the paid invoice.
        var paid = await bus.InvokeForTenantAsync<Outcome<Subscription>>(Tenancy.TenantOf(found.OrganizationId),
            new Billing.RecordInvoicePaid(found.OrganizationId, found.Facts, $"operator:{command.OperatorId}", command.OperatorId), ct);
        if (paid.Problem is { } problem) return problem;
        await using var read = session.DocumentStore.QueryFor(found.OrganizationId);
        return InvoiceView.Of((await read.LoadAsync<Invoice>(found.Id, ct))!);
    }
}
