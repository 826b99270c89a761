using BaseAgency.Billing;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stripe;
using Subscription = BaseAgency.Plans.Subscription;

namespace BaseAgency.Tests.Billing;

/// <summary>Stripe Billing's calls, against the fake Stripe: what Stripe is asked, and what it ends up holding.</summary>
[Collection(StripeAppCollection.Name)]
public sealed class StripeSubscriptionsTests(StripeAppFixture app)
{
    private FakeStripe Stripe => app.Stripe;
    private StripeSubscriptions Billing => (StripeSubscriptions)app.Host.Services.GetRequiredService<IPaymentProvider>().Subscriptions!;

    [Fact]
    public async Task A_plan_price_is_made_once_at_the_seeded_price_then_found_by_lookup_key()
    {
        var yearly = await Billing.PriceIdAsync(PlanSlug.Business, BillingInterval.Year, CancellationToken.None);
        (await Billing.PriceIdAsync(PlanSlug.Business, BillingInterval.Year, CancellationToken.None)).ShouldBe(yearly);

        var price = Stripe.Price(yearly);
        price["lookup_key"]!.GetValue<string>().ShouldBe("baseagency_business_year");
        price["unit_amount"]!.GetValue<long>().ShouldBe(239000);
        price["currency"]!.GetValue<string>().ShouldBe("usd");
        price["recurring"]!["interval"]!.GetValue<string>().ShouldBe("year");
        price["product"]!.GetValue<string>().ShouldBe("baseagency_business");
        price["metadata"]!["plan"]!.GetValue<string>().ShouldBe("business");

        // Another instance (a restart, a second node) finds it instead of making another.
        var created = Stripe.Requests.Count(r => r.Path == "/v1/prices" && r.Form.ContainsKey("unit_amount"));
        var restarted = ActivatorUtilities.CreateInstance<StripeSubscriptions>(app.Host.Services);
        (await restarted.PriceIdAsync(PlanSlug.Business, BillingInterval.Year, CancellationToken.None)).ShouldBe(yearly);
        (await restarted.PlanOfAsync(yearly, CancellationToken.None)).ShouldBe((PlanSlug.Business, BillingInterval.Year));
        Stripe.Requests.Count(r => r.Path == "/v1/prices" && r.Form.ContainsKey("unit_amount")).ShouldBe(created);
        Stripe.Prices.Count(p => p["lookup_key"]?.GetValue<string>() == "baseagency_business_year").ShouldBe(1);

        (await restarted.PlanOfAsync("price_not_there", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Prices_pinned_in_configuration_are_used_as_they_are()
    {
        var pinned = new StripeOptions { Prices = { ["starter_year"] = "price_pinned_starter_year" } };
        var billing = ActivatorUtilities.CreateInstance<StripeSubscriptions>(app.Host.Services, Options.Create(pinned));
        var asked = Stripe.Requests.Count;

        (await billing.PriceIdAsync(PlanSlug.Starter, BillingInterval.Year, CancellationToken.None)).ShouldBe("price_pinned_starter_year");
        (await billing.PlanOfAsync("price_pinned_starter_year", CancellationToken.None)).ShouldBe((PlanSlug.Starter, BillingInterval.Year));
        Stripe.Requests.Count.ShouldBe(asked);
    }

    [Theory]
    [InlineData("gold_month", "price_1")]
    [InlineData("starter_week", "price_1")]
    [InlineData("starter_month", "prod_1")]
    public void Prices_pinned_under_other_names_or_ids_stop_the_start(string name, string id)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Billing:PaymentProvider"] = "stripe",
            ["Stripe:SecretKey"] = FakeStripe.SecretKey,
            ["Stripe:WebhookSecret"] = FakeStripe.WebhookSecret,
            [$"Stripe:Prices:{name}"] = id,
        }).Build();
        var services = new ServiceCollection();
        services.AddBilling(config);

        Should.Throw<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<IOptions<StripeOptions>>().Value)
            .Message.ShouldContain("Stripe:Prices");
    }

    [Theory]
    [InlineData("baseagency_starter_month", null, null, PlanSlug.Starter, BillingInterval.Month)]
    [InlineData("baseagency_professional_year", null, null, PlanSlug.Professional, BillingInterval.Year)]
    [InlineData(null, "business", "month", PlanSlug.Business, BillingInterval.Month)] // its lookup_key moved to a newer price
    [InlineData("someone_elses_price", "starter", "year", PlanSlug.Starter, BillingInterval.Year)]
    public void A_price_maps_back_to_its_plan_by_lookup_key_or_metadata(string? lookupKey, string? plan, string? interval,
        PlanSlug expectedPlan, BillingInterval expectedInterval)
    {
        var metadata = plan is null ? new Dictionary<string, string>() : new() { ["plan"] = plan, ["interval"] = interval! };
        StripeSubscriptions.PlanOf(new Price { LookupKey = lookupKey, Metadata = metadata }).ShouldBe((expectedPlan, expectedInterval));
    }

    [Theory]
    [InlineData("baseagency_gold_month")]
    [InlineData("baseagency_starter_week")]
    [InlineData("baseagency_starter_month_extra")]
    [InlineData("baseagency_1_0")]
    [InlineData("price_of_another_product")]
    public void Prices_that_are_not_ours_map_to_nothing(string lookupKey) =>
        StripeSubscriptions.PlanOf(new Price { LookupKey = lookupKey, Metadata = [] }).ShouldBeNull();

    [Fact]
    public async Task Subscription_checkout_sells_the_plan_price_to_the_organization()
    {
        var order = Order(PlanSlug.Starter);
        var checkout = await Billing.StartAsync(order, CancellationToken.None);

        checkout.CheckoutUrl.ShouldBe($"https://checkout.stripe.com/c/pay/{checkout.ProviderReference}");
        var request = Stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions" && r.Form.GetValueOrDefault("metadata[change_id]") == order.ChangeId.ToString());
        request.IdempotencyKey.ShouldBe($"subscription-checkout-{order.ChangeId}");
        request.Form["mode"].ShouldBe("subscription");
        request.Form["client_reference_id"].ShouldBe(order.OrganizationId.ToString());
        request.Form["subscription_data[metadata][organization_id]"].ShouldBe(order.OrganizationId.ToString());
        request.Form["line_items[0][price]"].ShouldBe(await Billing.PriceIdAsync(PlanSlug.Starter, BillingInterval.Month, CancellationToken.None));
        request.Form["line_items[0][quantity]"].ShouldBe("1");
        request.Form.Keys.ShouldNotContain(k => k.Contains("price_data"));
        request.Form["success_url"].ShouldBe("http://localhost:5173/billing?result=success");
        Stripe.Session(checkout.ProviderReference)["amount_total"]!.GetValue<long>().ShouldBe(4900);

        // Asked again (a retry after a lost answer): the same session.
        (await Billing.StartAsync(order, CancellationToken.None)).ShouldBe(checkout);
    }

    [Fact]
    public async Task An_upgrade_is_invoiced_now_and_applies_when_paid_a_downgrade_waits_for_the_next_period()
    {
        var subscription = await SubscribedAsync(PlanSlug.Starter);
        var stripeId = subscription.ProviderSubscriptionId!;
        var professional = await Billing.PriceIdAsync(PlanSlug.Professional, BillingInterval.Month, CancellationToken.None);
        var upgradeId = Guid.NewGuid();

        await Billing.ChangePlanAsync(subscription, PlanSlug.Professional, BillingInterval.Month, upgrade: true, upgradeId, CancellationToken.None);

        var upgrade = Stripe.Requests.Single(r => r.IdempotencyKey == $"subscription-change-{upgradeId}");
        upgrade.Path.ShouldBe($"/v1/subscriptions/{stripeId}");
        upgrade.Form["items[0][price]"].ShouldBe(professional);
        upgrade.Form["proration_behavior"].ShouldBe("always_invoice");
        upgrade.Form["payment_behavior"].ShouldBe("pending_if_incomplete");
        upgrade.Form["metadata[change_id]"].ShouldBe(upgradeId.ToString());
        ItemPrice(stripeId).ShouldNotBe(professional); // until its invoice is paid
        Stripe.PayLatestInvoice(stripeId);
        ItemPrice(stripeId).ShouldBe(professional);

        var downgradeId = Guid.NewGuid();
        await Billing.ChangePlanAsync(subscription, PlanSlug.Starter, BillingInterval.Month, upgrade: false, downgradeId, CancellationToken.None);
        var downgrade = Stripe.Requests.Single(r => r.IdempotencyKey == $"subscription-change-{downgradeId}");
        downgrade.Form["proration_behavior"].ShouldBe("none");
        downgrade.Form.Keys.ShouldNotContain("payment_behavior");
        Stripe.StripeInvoice(Stripe.StripeSubscription(stripeId)["latest_invoice"]!.GetValue<string>())["billing_reason"]!.GetValue<string>()
            .ShouldBe("subscription_update"); // the upgrade's: nothing invoiced for the downgrade
    }

    [Fact]
    public async Task A_change_of_interval_waits_for_the_period_end_on_a_schedule_a_later_change_replaces_it()
    {
        var subscription = await SubscribedAsync(PlanSlug.Starter);
        var stripeId = subscription.ProviderSubscriptionId!;
        var monthly = ItemPrice(stripeId);
        var yearly = await Billing.PriceIdAsync(PlanSlug.Starter, BillingInterval.Year, CancellationToken.None);

        await Billing.ChangePlanAsync(subscription, PlanSlug.Starter, BillingInterval.Year, upgrade: false, Guid.NewGuid(), CancellationToken.None);

        ItemPrice(stripeId).ShouldBe(monthly); // nothing billed or changed before the period's end
        var schedule = Stripe.Schedule(Stripe.StripeSubscription(stripeId)["schedule"]!.GetValue<string>());
        var phases = schedule["phases"]!.AsArray();
        phases.Count.ShouldBe(2);
        phases[0]!["items"]![0]!["price"]!.GetValue<string>().ShouldBe(monthly);
        phases[0]!["end_date"]!.GetValue<long>().ShouldBe(Stripe.StripeSubscription(stripeId)["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>());
        phases[1]!["items"]![0]!["price"]!.GetValue<string>().ShouldBe(yearly);
        schedule["end_behavior"]!.GetValue<string>().ShouldBe("release");

        // Canceling instead: the schedule lets go first (Stripe refuses to cancel a scheduled subscription).
        await Billing.SetCancelAtPeriodEndAsync(subscription, true, CancellationToken.None);
        schedule["status"]!.GetValue<string>().ShouldBe("released");
        Stripe.StripeSubscription(stripeId)["cancel_at_period_end"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Cancel_at_period_end_cancel_now_and_the_portal_reach_stripe()
    {
        var subscription = await SubscribedAsync(PlanSlug.Starter);
        var stripeId = subscription.ProviderSubscriptionId!;

        await Billing.SetCancelAtPeriodEndAsync(subscription, true, CancellationToken.None);
        Stripe.StripeSubscription(stripeId)["cancel_at_period_end"]!.GetValue<bool>().ShouldBeTrue();
        await Billing.SetCancelAtPeriodEndAsync(subscription, false, CancellationToken.None);
        Stripe.StripeSubscription(stripeId)["cancel_at_period_end"]!.GetValue<bool>().ShouldBeFalse();

        var portal = await Billing.PortalUrlAsync(subscription, "https://app.example/billing", CancellationToken.None);
        portal.ShouldStartWith("https://billing.stripe.com/p/session/");
        Stripe.Requests.Last(r => r.Path == "/v1/billing_portal/sessions").Form["return_url"].ShouldBe("https://app.example/billing");
        (await Billing.PortalUrlAsync(subscription with { ProviderCustomerId = null }, "https://app.example", CancellationToken.None)).ShouldBeNull();

        await Billing.CancelNowAsync(subscription, CancellationToken.None);
        Stripe.StripeSubscription(stripeId)["status"]!.GetValue<string>().ShouldBe("canceled");
        // Already over (the fake, like Stripe, refuses to cancel it twice): nothing to do.
        await Should.NotThrowAsync(() => Billing.CancelNowAsync(subscription, CancellationToken.None));
    }

    [Fact]
    public async Task Stripe_being_down_is_payment_provider_unavailable()
    {
        var subscription = await SubscribedAsync(PlanSlug.Starter);
        Stripe.FailuresToInject = 3; // the first try and both of the client's retries

        var down = await Should.ThrowAsync<PaymentProviderUnavailable>(() =>
            Billing.SetCancelAtPeriodEndAsync(subscription, true, CancellationToken.None));

        down.InnerException.ShouldBeOfType<StripeException>();
        Stripe.StripeSubscription(subscription.ProviderSubscriptionId!)["cancel_at_period_end"]!.GetValue<bool>().ShouldBeFalse();
    }

    private static SubscriptionOrder Order(PlanSlug plan) =>
        new(Guid.NewGuid(), Guid.NewGuid(), plan, BillingInterval.Month, Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>A subscription Stripe runs, as our side holds it once its first invoice is paid.</summary>
    private async Task<Subscription> SubscribedAsync(PlanSlug plan)
    {
        var order = Order(plan);
        var checkout = await Billing.StartAsync(order, CancellationToken.None);
        var (subscriptionId, customerId, _) = Stripe.CompleteSubscriptionCheckout(checkout.ProviderReference);
        return Subscription.StartFree(order.OrganizationId, DateTimeOffset.UtcNow) with
        {
            Plan = plan, ProviderSubscriptionId = subscriptionId, ProviderCustomerId = customerId,
        };
    }

    private string ItemPrice(string subscriptionId) =>
        Stripe.StripeSubscription(subscriptionId)["items"]!["data"]![0]!["price"]!["id"]!.GetValue<string>();
}
