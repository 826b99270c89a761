using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Plans;
using Marten;

namespace BaseAgency.Features.OpenBillingPortal;

public static class OpenBillingPortalHandler
{
    public static async Task<Outcome<BillingPortalResponse>> Handle(OpenBillingPortal command, IQuerySession session, IPaymentProvider provider,
        CancellationToken ct)
    {
        var subscription = (await session.CurrentPlanAsync(command.OrganizationId, ct)).Subscription;
        if (provider.Subscriptions is not { } stripe)
            return Problems.Conflict("no_billing_portal", "Invoices are issued by hand here; there is no payment portal.",
                "See GET /api/billing/invoices.");
        string? url;
        try
        {
            url = await stripe.PortalUrlAsync(subscription, command.ReturnUrl, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            return unavailable.ToProblem();
        }
        return url is null
            ? Problems.Conflict("no_billing_account", "The organization has no billing account yet.", "Subscribe to a paid plan first.")
            : new BillingPortalResponse(url);
    }
}
