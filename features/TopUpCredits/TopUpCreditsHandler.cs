using BaseAgency.Billing;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Platform;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace BaseAgency.Features.TopUpCredits;

/// <summary>
/// Auto top-up, in two transactions. The claim: credits below the threshold and no attempt within
/// <see cref="BillingOptions.AutoTopUpMinInterval"/> → the attempt and its pending purchase are stored, the settings'
/// version checked, so of many captures at once exactly one claims. The charge, only after the claim committed:
/// off-session with the saved payment method (Stripe), or billed like any purchase (manual). The purchase then
/// settles through <see cref="Billing.SettlePurchase"/>, which grants its credits once; a refusal is kept on the settings
/// (shown on the balance) and audited.
/// </summary>
public static class TopUpCreditsHandler
{
    /// <summary>
    /// A claim that lost the race (the settings' version moved) runs again and finds the top-up claimed; a charge that
    /// raced the provider's webhook runs again and finds the purchase settled.
    /// </summary>
    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(3);

    public static async Task Handle(TopUpIfLow message, IDocumentSession session, IMessageContext bus, CreditLedger ledger,
        PurchaseCheckout checkout, IOptions<BillingOptions> billing, TimeProvider clock, CancellationToken ct)
    {
        // Every capture asks: most organizations have no auto top-up, and their ledger is not read.
        if (await session.LoadAsync<AutoTopUp>(message.OrganizationId, ct) is not { Enabled: true } settings) return;
        var available = (await ledger.ReadAsync(session, message.OrganizationId, ct))?.Available ?? 0;
        var now = clock.GetUtcNow();
        if (!settings.IsDue(available, now, billing.Value.AutoTopUpMinInterval)) return;

        if (billing.Value.PackOnSale(settings.PackId) is not { } pack)
        {
            var attempt = new TopUpAttempt(now, null, "pack_not_on_sale", $"The pack '{settings.PackId}' is no longer on sale: choose another.");
            session.Store(settings with { LastAttempt = attempt });
            Audit(session, settings, "failed", $"{attempt.FailureCode}: {attempt.FailureMessage}", now);
            return;
        }
        var purchase = checkout.New(message.OrganizationId, settings.UpdatedBy, PurchaseKind.Credits, pack.Id, $"Auto top-up: {pack.Name}",
            pack.Credits, pack.PriceCents, pack.Currency);
        session.Store(purchase);
        session.Store(settings with { LastAttempt = new TopUpAttempt(now, purchase.Id) });
        await bus.SendAsync(new ChargeTopUp(message.OrganizationId, purchase.Id), TenantOf(message.OrganizationId));
    }

    public static async Task Handle(ChargeTopUp command, IDocumentSession session, IMessageContext bus, IPaymentProvider provider,
        PurchaseCheckout checkout, TimeProvider clock, ILogger<ChargeTopUp> log, CancellationToken ct)
    {
        // Charged already (the message came again): what the provider answered is on the purchase.
        if (await session.LoadAsync<Purchase>(command.PurchaseId, ct) is not { Status: PurchaseStatus.Pending, ProviderReference: null } purchase) return;
        var settings = (await session.LoadAsync<AutoTopUp>(command.OrganizationId, ct))!;
        var customer = (await session.LoadAsync<Subscription>(command.OrganizationId, ct))?.ProviderCustomerId;

        OffSessionCharge charge;
        try
        {
            charge = await provider.ChargeOffSessionAsync(purchase, customer, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            log.LogWarning(unavailable.InnerException, "Auto top-up purchase {PurchaseId} could not be charged", purchase.Id);
            charge = OffSessionCharge.Declined("payment_provider_unavailable", "The payment provider could not be reached.");
        }

        var tenant = TenantOf(command.OrganizationId);
        var by = charge.ProviderReference is { } reference ? $"{provider.Name}:{reference}" : "auto-top-up";
        if (charge.Result == OffSessionResult.Invoice)
        {
            if ((await checkout.OpenAsync(session, bus, purchase, ct)).Value?.SettleNow is { } settleNow) await bus.SendAsync(settleNow, tenant);
        }
        else if (charge.ProviderReference is not null)
        {
            session.Store(purchase with { ProviderReference = charge.ProviderReference });
        }

        if (charge.Result == OffSessionResult.Declined && settings.LastAttempt?.PurchaseId == purchase.Id)
            session.Store(settings with { LastAttempt = settings.LastAttempt with { FailureCode = charge.FailureCode, FailureMessage = charge.FailureMessage } });
        if (charge.Result is OffSessionResult.Paid or OffSessionResult.Declined)
            await bus.SendAsync(new Billing.SettlePurchase(command.OrganizationId, purchase.Id,
                charge.Result == OffSessionResult.Paid ? PaymentOutcome.Paid : PaymentOutcome.Failed, by), tenant);
        Audit(session, settings, OutcomeOf(charge.Result),
            $"{purchase.Description} ({purchase.AmountCents / 100m} {purchase.Currency}), purchase {purchase.Id}" +
            (charge.FailureCode is { } code ? $": {code}: {charge.FailureMessage}" : ""), clock.GetUtcNow());
    }

    public static string OutcomeOf(OffSessionResult result) => result switch
    {
        OffSessionResult.Paid => "charged",
        OffSessionResult.Processing => "processing",
        OffSessionResult.Invoice => "invoiced",
        _ => "failed",
    };

    /// <summary>Bought on the admin's standing instruction, so in their name.</summary>
    private static void Audit(IDocumentSession session, AutoTopUp settings, string outcome, string details, DateTimeOffset now) =>
        session.Store(new AuditEntry(Guid.CreateVersion7(), settings.UpdatedBy, $"credits.auto_top_up_{outcome}", settings.Id, details, now));

    private static DeliveryOptions TenantOf(Guid organizationId) => new() { TenantId = Tenancy.TenantOf(organizationId) };
}
