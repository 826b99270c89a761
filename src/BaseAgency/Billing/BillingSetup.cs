using BaseAgency.Plans;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Microsoft.Extensions.Options;
using Stripe;

namespace BaseAgency.Billing;

public static class BillingSetup
{
    public static void AddBilling(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<BillingOptions>().Bind(config.GetSection("Billing"))
            .Validate(o => o.PacksOnSale.All(p => p.Credits > 0 && p.PriceCents > 0 && p.Currency.Length == 3),
                "Billing:Packs: every pack needs credits > 0, a price > 0 and a three-letter currency.")
            .Validate(o => o.PurchaseLifetime >= TimeSpan.FromMinutes(30) && o.PurchaseLifetime <= TimeSpan.FromHours(24),
                "Billing:PurchaseLifetime must be between 30 minutes and 24 hours.")
            .Validate(o => o.GracePeriod >= TimeSpan.Zero && o.GracePeriod <= TimeSpan.FromDays(60),
                "Billing:GracePeriod must be between 0 and 60 days.")
            .Validate(o => o.AutoTopUpMinInterval >= TimeSpan.FromMinutes(1), "Billing:AutoTopUpMinInterval must be at least a minute.")
            .ValidateOnStart();
        services.AddOptions<StripeOptions>().Bind(config.GetSection("Stripe"))
            .Validate(o => !IsStripe(config) || (!string.IsNullOrWhiteSpace(o.SecretKey) && !string.IsNullOrWhiteSpace(o.WebhookSecret)),
                "Billing:PaymentProvider is 'stripe' but Stripe:SecretKey or Stripe:WebhookSecret is missing " +
                "(environment variables Stripe__SecretKey, Stripe__WebhookSecret).")
            .Validate(o => o.Prices.All(p => StripeSubscriptions.ParsePriceName(p.Key) is not null && p.Value.StartsWith("price_", StringComparison.Ordinal)),
                "Stripe:Prices: each key is a plan and an interval (\"starter_month\", \"business_year\") and each value a Stripe price id (\"price_…\").")
            .ValidateOnStart();

        services.AddSingleton<PurchaseCheckout>();
        if (IsStripe(config))
        {
            services.AddHttpClient("stripe");
            services.AddSingleton(sp =>
            {
                var stripe = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
                var http = new SystemNetHttpClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient("stripe"),
                    maxNetworkRetries: 2, enableTelemetry: false);
                return new StripeClient(stripe.SecretKey, httpClient: http, apiBase: stripe.ApiBase.TrimEnd('/'));
            });
            services.AddSingleton<StripeSubscriptions>();
            services.AddSingleton<IPaymentProvider, StripePayments>();
        }
        else
        {
            services.AddSingleton<IPaymentProvider, ManualPayments>();
        }
    }

    public static void ConfigureBilling(this StoreOptions opts)
    {
        opts.Schema.For<Purchase>().Index(x => x.Status).Index(x => x.CreatedAt)
            .Index(x => x.Id) // webhooks and operators find a purchase by id alone, across organizations
            .UseOptimisticConcurrency(true); // two reports of one payment at once: only one settles it
        // Many captures at once find credits low: only one claims the top-up (the others' writes fail and retry).
        opts.Schema.For<AutoTopUp>().UseOptimisticConcurrency(true);
    }

    public static void ConfigureSubscriptionBilling(this StoreOptions opts)
    {
        // Stripe delivers an event more than once, sometimes at once: the second record of one invoice fails (a 409 it retries).
        opts.Schema.For<Invoice>().UniqueIndex(UniqueIndexType.Computed, "ux_invoice_reference", TenancyScope.PerTenant,
            x => x.Facts.ProviderReference).Index(x => x.Id);
        // Every change of plan, period or state writes the subscription: two at once, only one wins (the other is a 409).
        opts.Schema.For<Plans.Subscription>().UseOptimisticConcurrency(true);
    }

    private static bool IsStripe(IConfiguration config) =>
        string.Equals(config["Billing:PaymentProvider"], nameof(PaymentProviderKind.Stripe), StringComparison.OrdinalIgnoreCase);
}
