using System.ComponentModel.DataAnnotations;
using BaseAgency.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Billing;

public enum PaymentProviderKind { Manual, Stripe }

/// <summary>A credit pack on sale. Price in the currency's minor unit (cents).</summary>
public sealed record CreditPack(string Id, string Name, int Credits, long PriceCents, string Currency)
{
    /// <summary>The answer to a pack id that is not on sale (buying it, or choosing it for auto top-up).</summary>
    public static ProblemHttpResult NotOnSale(string packId) =>
        Problems.Of(422, "unknown_pack", "There is no credit pack with that id.", "GET /api/credits/packs lists the packs on sale.",
            ("packId", packId));
}

/// <summary>Configuration section "Billing".</summary>
public sealed class BillingOptions
{
    public PaymentProviderKind PaymentProvider { get; set; } = PaymentProviderKind.Manual;

    /// <summary>The packs on sale; replaced as a whole by configuration.</summary>
    public List<CreditPack> Packs { get; set; } = [];

    /// <summary>An unpaid purchase expires after this (Stripe accepts 30 minutes to 24 hours).</summary>
    public TimeSpan PurchaseLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where the payment page sends the buyer back (the SPA). {PURCHASE_ID} is replaced.</summary>
    public string SuccessUrl { get; set; } = "http://localhost:5173/billing/purchases/{PURCHASE_ID}?result=success";
    public string CancelUrl { get; set; } = "http://localhost:5173/billing/purchases/{PURCHASE_ID}?result=canceled";

    /// <summary>Where the payment provider's customer portal sends the customer back (the SPA's billing page).</summary>
    public string PortalReturnUrl { get; set; } = "http://localhost:5173/billing";

    /// <summary>Manual provider only: complete purchases and subscription invoices at once (development).</summary>
    public bool AutoCompleteManualPurchases { get; set; }

    /// <summary>
    /// Below this a plan upgrade's prorated price is not worth charging (Stripe's minimum is 50 cents): the upgrade then
    /// starts with the next period, paid by its invoice.
    /// </summary>
    public long MinimumChargeCents { get; set; } = 50;

    /// <summary>How long a subscription with an unpaid period keeps its plan (past due) before it falls back to Free.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An organization's auto top-up buys at most once within this, whatever became of the last attempt.</summary>
    public TimeSpan AutoTopUpMinInterval { get; set; } = TimeSpan.FromHours(1);

    public static readonly IReadOnlyList<CreditPack> DefaultPacks =
    [
        new("credits-100", "100 credits", 100, 1000, "USD"),
        new("credits-500", "500 credits", 500, 4500, "USD"),
        new("credits-2000", "2,000 credits", 2000, 16000, "USD"),
        new("credits-10000", "10,000 credits", 10000, 70000, "USD"),
    ];

    public IReadOnlyList<CreditPack> PacksOnSale => Packs.Count > 0 ? Packs : DefaultPacks;

    public CreditPack? PackOnSale(string id) => PacksOnSale.FirstOrDefault(p => p.Id == id.Trim());
}

/// <summary>Configuration section "Stripe".</summary>
public sealed class StripeOptions
{
    public string? SecretKey { get; set; }
    public string? WebhookSecret { get; set; }

    /// <summary>Stripe's API by default; a local fake in tests.</summary>
    [Url] public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>How old a signed webhook may be (Stripe's scheme; its libraries default to 5 minutes).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Stripe price ids pinned per plan and interval ("starter_month": "price_…"); a plan without one uses the price whose
    /// lookup_key is "baseagency_starter_month", created on first use at the plan's seeded price.
    /// </summary>
    public Dictionary<string, string> Prices { get; set; } = [];
}
