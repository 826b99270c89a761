using BaseAgency.Http;
using BaseAgency.Organizations;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Billing;

/// <summary>A purchase just opened, and the settlement to run once it is committed when it completes by itself.</summary>
public sealed record OpenedPurchase(Purchase Purchase, SettlePurchase? SettleNow);

/// <summary>Opening a purchase with the payment provider.</summary>
public sealed class PurchaseCheckout(IPaymentProvider provider, IOptions<BillingOptions> options, TimeProvider clock, ILogger<PurchaseCheckout> log)
{
    public Purchase New(Guid organizationId, Guid buyer, PurchaseKind kind, string item, string description, int credits,
        long amountCents, string currency)
    {
        var now = clock.GetUtcNow();
        return new Purchase(Guid.CreateVersion7(), organizationId, kind, item, description, credits, amountCents,
            currency.ToUpperInvariant(), PurchaseStatus.Pending, provider.Name, buyer, now, now + options.Value.PurchaseLifetime);
    }

    /// <summary>
    /// Asks the provider for a checkout, then stages the purchase and its expiry in the handler's session.
    /// When the provider cannot be reached the answer is a 503 and nothing is staged.
    /// </summary>
    public async Task<Outcome<OpenedPurchase>> OpenAsync(IDocumentSession session, IMessageBus bus, Purchase purchase, CancellationToken ct)
    {
        Checkout checkout;
        try
        {
            checkout = await provider.StartCheckoutAsync(purchase, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            log.LogWarning(unavailable.InnerException, "Checkout for purchase {PurchaseId} ({Kind}) could not be opened", purchase.Id, purchase.Kind);
            return unavailable.ToProblem();
        }

        var opened = purchase with { ProviderReference = checkout.ProviderReference, CheckoutUrl = checkout.CheckoutUrl };
        session.Store(opened);
        await bus.ScheduleAsync(new ExpirePurchase(opened.OrganizationId, opened.Id), opened.ExpiresAt,
            new DeliveryOptions { TenantId = Tenancy.TenantOf(opened.OrganizationId) });

        var completesAtOnce = provider is ManualPayments && options.Value.AutoCompleteManualPurchases;
        return new OpenedPurchase(opened,
            completesAtOnce ? new SettlePurchase(opened.OrganizationId, opened.Id, PaymentOutcome.Paid, "auto-complete") : null);
    }
}
