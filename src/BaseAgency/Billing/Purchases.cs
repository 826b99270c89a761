using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Subscriptions;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Billing;

/// <summary>Durable timeout: a purchase still unpaid at its expiry is marked expired.</summary>
public sealed record ExpirePurchase(Guid OrganizationId, Guid PurchaseId);

/// <summary>
/// Opening and settling purchases, shared by buying credits and changing plan. Settling is idempotent:
/// the ledger grants a purchase's credits once (keyed by the purchase id) however often payment is reported.
/// </summary>
public sealed class Purchases(IPaymentProvider provider, CreditLedger ledger, IOptions<BillingOptions> options, TimeProvider clock)
{
    public string ProviderName => provider.Name;

    public Purchase New(Guid organizationId, Guid buyer, PurchaseKind kind, string item, string description, int credits,
        long amountCents, string currency, PlanChangeQuote? planChange = null)
    {
        var now = clock.GetUtcNow();
        return new Purchase(Guid.CreateVersion7(), organizationId, kind, item, description, credits, amountCents,
            currency.ToUpperInvariant(), PurchaseStatus.Pending, provider.Name, buyer, now, now + options.Value.PurchaseLifetime,
            PlanChange: planChange);
    }

    /// <summary>
    /// Asks the provider for a checkout and stages the purchase and its expiry in the caller's session.
    /// Throws <see cref="PaymentProviderUnavailable"/> when the provider cannot be reached.
    /// </summary>
    public async Task<Purchase> OpenAsync(IDocumentSession session, IMessageBus outbox, Purchase purchase, CancellationToken ct)
    {
        var checkout = await provider.StartCheckoutAsync(purchase, ct);
        var opened = purchase with { ProviderReference = checkout.ProviderReference, CheckoutUrl = checkout.CheckoutUrl };
        session.Store(opened);
        await outbox.ScheduleAsync(new ExpirePurchase(opened.OrganizationId, opened.Id), opened.ExpiresAt,
            new DeliveryOptions { TenantId = Tenancy.TenantOf(opened.OrganizationId) });

        return provider is ManualPayments && options.Value.AutoCompleteManualPurchases
            ? await SettleAsync(session, opened, PaymentOutcome.Paid, "auto-complete", ct)
            : opened;
    }

    /// <summary>Applies the provider's (or an operator's) word to a purchase, in the caller's session.</summary>
    public async Task<Purchase> SettleAsync(IDocumentSession session, Purchase purchase, PaymentOutcome outcome, string by, CancellationToken ct)
    {
        if (purchase.After(outcome, clock.GetUtcNow()) is not { } next) return purchase;
        next = next with { CompletedBy = by };
        if (next.Status == PurchaseStatus.Paid)
        {
            var rejection = purchase.Kind == PurchaseKind.Credits
                ? await ledger.PurchaseAsync(session, purchase.OrganizationId, purchase.Id, purchase.Item, purchase.Credits, ct)
                : await PlanChanges.ApplyUpgradeAsync(session, ledger, purchase.OrganizationId, purchase.PlanChange!, purchase.Credits,
                    $"plan-change:{purchase.Id}", ct);
            if (rejection is not null) throw new InvalidOperationException($"The ledger refused paid purchase {purchase.Id}: {rejection.Message}");
        }
        session.Store(next);
        return next;
    }

    /// <summary>Finds a purchase by id whichever organization it belongs to (webhooks and operators know only the id).</summary>
    public static async Task<Purchase?> FindAnywhereAsync(IDocumentStore store, Guid purchaseId, CancellationToken ct)
    {
        await using var platform = store.QuerySession();
        return await platform.Query<Purchase>().Where(p => p.AnyTenant() && p.Id == purchaseId).SingleOrDefaultAsync(ct);
    }
}

public static class ExpirePurchaseHandler
{
    public static async Task Handle(ExpirePurchase message, IDocumentSession session, IMessageContext bus, Purchases purchases,
        TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Purchase>(message.PurchaseId, ct) is not { Status: PurchaseStatus.Pending } purchase) return;
        if (purchase.ExpiresAt > clock.GetUtcNow())
        {
            await bus.ScheduleAsync(message, purchase.ExpiresAt, new DeliveryOptions { TenantId = session.TenantId }); // woke early
            return;
        }
        await purchases.SettleAsync(session, purchase, PaymentOutcome.Expired, "expiry", ct);
    }
}
