using System.Net;
using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Features.HandleStripeWebhook;
using BaseAgency.Plans;
using BaseAgency.Organizations;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using StripeInvoice = Stripe.Invoice;
using StripeSubscriptionObject = Stripe.Subscription;
using Subscription = BaseAgency.Plans.Subscription;

namespace BaseAgency.Tests.Features.HandleStripeWebhook;

/// <summary>
/// Stripe Billing end to end against the fake Stripe: plans bought and changed through the public API, Stripe's signed
/// events delivered as Stripe delivers them (more than once), and how the events read.
/// </summary>
[Collection(StripeAppCollection.Name)]
public sealed class StripeBillingTests(StripeAppFixture app)
{
    private FakeStripe Stripe => app.Stripe;
    private StripeSubscriptions Billing => (StripeSubscriptions)app.Host.Services.GetRequiredService<IPaymentProvider>().Subscriptions!;

    [Fact]
    public async Task A_subscription_checkout_starts_starter_and_each_renewal_grants_once_however_often_it_is_delivered()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");

        var subscription = await GetAsync("/api/subscription", token);
        subscription["plan"]!.GetValue<string>().ShouldBe("starter");
        subscription["status"]!.GetValue<string>().ShouldBe("active");
        (await app.Host.AvailableAsync(token)).ShouldBe(500);
        var granted = await PlanGrantsAsync(token);

        for (var period = 0; period < 2; period++)
            foreach (var stripeEvent in Stripe.CyclePeriod(subscriptionId))
                for (var delivery = 0; delivery < 3; delivery++)
                    await DeliverAsync(stripeEvent);

        (await PlanGrantsAsync(token)).ShouldBe(granted + 2);
        var renewed = await GetAsync("/api/subscription", token);
        renewed["currentPeriodEnd"]!.GetValue<DateTimeOffset>().ShouldBe(
            DateTimeOffset.FromUnixTimeSeconds(Stripe.StripeSubscription(subscriptionId)["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>()));
        (await app.Host.AvailableAsync(token)).ShouldBe(500); // each period's credits replace the last's

        // A declined renewal: past due with a grace, nothing granted.
        foreach (var stripeEvent in Stripe.CyclePeriod(subscriptionId, paid: false))
            for (var delivery = 0; delivery < 3; delivery++)
                await DeliverAsync(stripeEvent);
        var pastDue = await GetAsync("/api/subscription", token);
        pastDue["status"]!.GetValue<string>().ShouldBe("past_due");
        pastDue["graceEndsAt"].ShouldNotBeNull();
        pastDue["plan"]!.GetValue<string>().ShouldBe("starter");
        (await PlanGrantsAsync(token)).ShouldBe(granted + 2);

        var invoices = (await GetAsync("/api/billing/invoices", token))["items"]!.AsArray();
        invoices.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_period_still_unpaid_when_the_grace_ends_cancels_at_stripe_and_falls_back_to_free()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");
        foreach (var stripeEvent in Stripe.CyclePeriod(subscriptionId, paid: false)) await DeliverAsync(stripeEvent);
        var pastDue = await app.Host.SubscriptionAsync(org);
        pastDue.Status.ShouldBe(SubscriptionStatus.PastDue);

        // The seven days pass (this app's clock is the real one: the grace is moved back instead).
        var ended = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using (var session = app.Host.Services.GetRequiredService<Marten.IDocumentStore>().SessionFor(org))
        {
            session.Store((await session.LoadAsync<Subscription>(org))! with { GraceEndsAt = ended });
            await session.SaveChangesAsync();
        }
        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.EndGracePeriod(org, ended));

        var free = await app.Host.SubscriptionAsync(org);
        (free.Plan, free.Status, free.ProviderSubscriptionId).ShouldBe((PlanSlug.Free, SubscriptionStatus.Active, null));
        Stripe.StripeSubscription(subscriptionId)["status"]!.GetValue<string>().ShouldBe("canceled");
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        // Stripe's own word that the subscription ended, arriving afterwards, changes nothing more.
        await DeliverAsync(Stripe.SubscriptionEvent(subscriptionId));
        (await app.Host.SubscriptionAsync(org)).CurrentPeriodStart.ShouldBe(free.CurrentPeriodStart);
    }

    [Fact]
    public async Task The_same_renewal_delivered_at_once_grants_once()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");
        var granted = await PlanGrantsAsync(token);
        var paid = Stripe.CyclePeriod(subscriptionId).Single(e => e.Type == "invoice.paid");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(paid.Payload)));
        // A racing duplicate loses on the subscription's version (409), which Stripe retries; the retry finds it done.
        statuses.ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict);
        await DeliverAsync(paid);

        (await PlanGrantsAsync(token)).ShouldBe(granted + 1);
    }

    [Fact]
    public async Task Events_delivered_out_of_order_leave_the_latest_state()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");
        var granted = await PlanGrantsAsync(token);

        // A declined renewal that Stripe's retry then collects; the "past due" update arrives last.
        var declined = Stripe.CyclePeriod(subscriptionId, paid: false);
        await DeliverAsync(declined.Single(e => e.Type == "invoice.payment_failed"));
        (await GetAsync("/api/subscription", token))["status"]!.GetValue<string>().ShouldBe("past_due");
        foreach (var stripeEvent in Stripe.PayLatestInvoice(subscriptionId)) await DeliverAsync(stripeEvent);
        await DeliverAsync(declined.Single(e => e.Type == "customer.subscription.updated"));

        var recovered = await GetAsync("/api/subscription", token);
        recovered["status"]!.GetValue<string>().ShouldBe("active");
        recovered["graceEndsAt"].ShouldBeNull();
        (await PlanGrantsAsync(token)).ShouldBe(granted + 1);

        // Two renewals, the later one first: the subscription ends on the later period, the earlier is only recorded.
        var first = Stripe.CyclePeriod(subscriptionId).Single(e => e.Type == "invoice.paid");
        var second = Stripe.CyclePeriod(subscriptionId).Single(e => e.Type == "invoice.paid");
        await DeliverAsync(second);
        await DeliverAsync(first);
        await DeliverAsync(second);

        (await GetAsync("/api/subscription", token))["currentPeriodEnd"]!.GetValue<DateTimeOffset>().ShouldBe(
            DateTimeOffset.FromUnixTimeSeconds(Stripe.StripeSubscription(subscriptionId)["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>()));
        (await PlanGrantsAsync(token)).ShouldBe(granted + 2);
    }

    [Fact]
    public async Task An_upgrade_applies_only_when_its_proration_invoice_is_paid()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");

        var asked = await ChangePlanAsync(token, "professional", 202);
        asked["plan"]!.GetValue<string>().ShouldBe("starter");
        var update = Stripe.Requests.Last(r => r.Path == $"/v1/subscriptions/{subscriptionId}" && r.Form.ContainsKey("items[0][price]"));
        update.Form["proration_behavior"].ShouldBe("always_invoice");
        update.Form["payment_behavior"].ShouldBe("pending_if_incomplete");
        update.Form["items[0][price]"].ShouldBe(await Billing.PriceIdAsync(PlanSlug.Professional, BillingInterval.Month, CancellationToken.None));
        await DeliverAsync(Stripe.SubscriptionEvent(subscriptionId)); // Stripe reports the pending update: no plan by itself
        (await GetAsync("/api/subscription", token))["plan"]!.GetValue<string>().ShouldBe("starter");

        foreach (var stripeEvent in Stripe.PayLatestInvoice(subscriptionId))
            for (var delivery = 0; delivery < 2; delivery++)
                await DeliverAsync(stripeEvent);

        var upgraded = await GetAsync("/api/subscription", token);
        upgraded["plan"]!.GetValue<string>().ShouldBe("professional");
        upgraded["pendingChange"].ShouldBeNull();
        (await app.Host.AvailableAsync(token)).ShouldBeGreaterThan(500); // the rest of the period's extra credits
    }

    [Fact]
    public async Task Yearly_billing_asked_for_mid_period_starts_with_the_next_period()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");
        var granted = await PlanGrantsAsync(token);

        var asked = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan = "starter", interval = "year" }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        (await asked.JsonAsync())["status"]!.GetValue<string>().ShouldBe("scheduled");
        Stripe.StripeSubscription(subscriptionId)["schedule"].ShouldNotBeNull();
        (await GetAsync("/api/subscription", token))["interval"]!.GetValue<string>().ShouldBe("month");

        foreach (var stripeEvent in Stripe.CyclePeriod(subscriptionId))
            for (var delivery = 0; delivery < 2; delivery++)
                await DeliverAsync(stripeEvent);

        var yearly = await GetAsync("/api/subscription", token);
        yearly["interval"]!.GetValue<string>().ShouldBe("year");
        (yearly["currentPeriodEnd"]!.GetValue<DateTimeOffset>() - yearly["currentPeriodStart"]!.GetValue<DateTimeOffset>()).TotalDays
            .ShouldBeGreaterThan(364);
        (await PlanGrantsAsync(token)).ShouldBe(granted + 1);
    }

    [Fact]
    public async Task Canceling_at_the_period_end_reaches_stripe_and_its_end_falls_back_to_free()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");

        var portal = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { returnUrl = "https://app.example/billing" }).ToUrl("/api/billing/portal");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        (await portal.JsonAsync())["url"]!.GetValue<string>().ShouldStartWith("https://billing.stripe.com/p/session/");

        await ChangePlanAsync(token, "free", 200);
        Stripe.StripeSubscription(subscriptionId)["cancel_at_period_end"]!.GetValue<bool>().ShouldBeTrue();
        await DeliverAsync(Stripe.SubscriptionEvent(subscriptionId));
        var canceling = await GetAsync("/api/subscription", token);
        canceling["plan"]!.GetValue<string>().ShouldBe("starter");
        canceling["cancelAtPeriodEnd"]!.GetValue<bool>().ShouldBeTrue();

        var ended = Stripe.EndAtPeriodEnd(subscriptionId);
        await DeliverAsync(ended);
        await DeliverAsync(ended);
        (await GetAsync("/api/subscription", token))["plan"]!.GetValue<string>().ShouldBe("free");
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
    }

    [Fact]
    public async Task Billing_events_about_objects_that_are_not_ours_answer_200_and_change_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var (subscriptionId, _) = await SubscribeAsync(token, "starter");
        var granted = await PlanGrantsAsync(token);
        var paid = Stripe.CyclePeriod(subscriptionId).Single(e => e.Type == "invoice.paid");

        // Another organization id, none at all, or a price that is not one of our plans.
        var price = await Billing.PriceIdAsync(PlanSlug.Starter, BillingInterval.Month, CancellationToken.None);
        var update = Stripe.SubscriptionEvent(subscriptionId);
        foreach (var notOurs in new[]
                 {
                     paid with { Payload = paid.Payload.Replace(customer.Organization.Id.ToString(), Guid.NewGuid().ToString()) },
                     paid with { Payload = paid.Payload.Replace("\"organization_id\"", "\"someone_else\"") },
                     paid with { Payload = paid.Payload.Replace(price, "price_not_ours") },
                     // A Stripe subscription this service does not hold, ended: it does not touch the current one.
                     update with { Payload = update.Payload.Replace(subscriptionId, "sub_someone_elses").Replace("\"active\"", "\"canceled\"") },
                 })
            (await DeliverAsync(notOurs))["ignored"].ShouldNotBeNull();

        (await PlanGrantsAsync(token)).ShouldBe(granted);
        (await GetAsync("/api/subscription", token))["plan"]!.GetValue<string>().ShouldBe("starter");
    }

    [Fact]
    public async Task Stripe_events_read_as_the_invoice_and_subscription_facts_they_carry()
    {
        var organization = Guid.NewGuid();
        var checkout = await Billing.StartAsync(new SubscriptionOrder(organization, Guid.NewGuid(), PlanSlug.Starter, BillingInterval.Month,
            Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1)), CancellationToken.None);
        var (subscriptionId, customerId, events) = Stripe.CompleteSubscriptionCheckout(checkout.ProviderReference);
        var price = await Billing.PriceIdAsync(PlanSlug.Starter, BillingInterval.Month, CancellationToken.None);

        var created = Parse<StripeInvoice>(events.Single(e => e.Type == "invoice.paid"));
        StripeBillingEvents.SubscriptionLine(created)!.Pricing.PriceDetails.PriceId.ShouldBe(price);
        created.Parent.SubscriptionDetails.Metadata["organization_id"].ShouldBe(organization.ToString());
        var item = Stripe.StripeSubscription(subscriptionId)["items"]!["data"]![0]!;
        var facts = StripeBillingEvents.Read(created, PlanSlug.Starter, BillingInterval.Month)!;
        facts.ShouldBe(new InvoiceFacts(created.Id, InvoiceReason.SubscriptionCreate, PlanSlug.Starter, BillingInterval.Month,
            DateTimeOffset.FromUnixTimeSeconds(item["current_period_start"]!.GetValue<long>()),
            DateTimeOffset.FromUnixTimeSeconds(item["current_period_end"]!.GetValue<long>()),
            4900, "USD", $"https://invoice.stripe.com/i/{created.Id}", subscriptionId, customerId));

        var failed = Parse<StripeInvoice>(Stripe.CyclePeriod(subscriptionId, paid: false).Single(e => e.Type == "invoice.payment_failed"));
        var due = StripeBillingEvents.Read(failed, PlanSlug.Starter, BillingInterval.Month)!;
        due.Reason.ShouldBe(InvoiceReason.SubscriptionCycle);
        due.PeriodStart.ShouldBe(facts.PeriodEnd);
        due.AmountCents.ShouldBe(4900); // owed, not paid

        var professional = await Billing.PriceIdAsync(PlanSlug.Professional, BillingInterval.Month, CancellationToken.None);
        var stored = Subscription.StartFree(organization, DateTimeOffset.UtcNow) with { ProviderSubscriptionId = subscriptionId };
        await Billing.ChangePlanAsync(stored, PlanSlug.Professional, BillingInterval.Month, upgrade: true, Guid.NewGuid(), CancellationToken.None);
        var proration = Parse<StripeInvoice>(Stripe.PayLatestInvoice(subscriptionId).Single(e => e.Type == "invoice.paid"));
        StripeBillingEvents.SubscriptionLine(proration)!.Pricing.PriceDetails.PriceId.ShouldBe(professional); // the charge, not the credit
        var upgrade = StripeBillingEvents.Read(proration, PlanSlug.Professional, BillingInterval.Month)!;
        upgrade.Reason.ShouldBe(InvoiceReason.SubscriptionUpdate);
        upgrade.PeriodEnd.ShouldBe(due.PeriodEnd);
        upgrade.AmountCents.ShouldBe(proration.AmountPaid);
        upgrade.AmountCents.ShouldBeInRange(1, 9900 - 4900);

        var ended = Parse<StripeSubscriptionObject>(Stripe.EndAtPeriodEnd(subscriptionId));
        StripeBillingEvents.Read(ended, deleted: true)
            .ShouldBe(new SubscriptionFacts(subscriptionId, SubscriptionStatus.Canceled, false, true, due.PeriodStart, due.PeriodEnd));
    }

    [Theory]
    [InlineData("active", false, SubscriptionStatus.Active, false)]
    [InlineData("trialing", false, SubscriptionStatus.Trialing, false)]
    [InlineData("past_due", false, SubscriptionStatus.PastDue, false)]
    [InlineData("unpaid", false, SubscriptionStatus.PastDue, false)]
    [InlineData("incomplete", false, SubscriptionStatus.PastDue, false)]
    [InlineData("paused", false, SubscriptionStatus.Paused, false)]
    [InlineData("incomplete_expired", false, SubscriptionStatus.Canceled, true)]
    [InlineData("canceled", false, SubscriptionStatus.Canceled, true)]
    [InlineData("canceled", true, SubscriptionStatus.Canceled, true)]
    public void Stripe_subscription_statuses_map_to_ours(string stripeStatus, bool deleted, SubscriptionStatus status, bool ended)
    {
        var facts = StripeBillingEvents.Read(new StripeSubscriptionObject { Id = "sub_1", Status = stripeStatus }, deleted);
        facts.Status.ShouldBe(status);
        facts.Ended.ShouldBe(ended);
        facts.CurrentPeriodEnd.ShouldBeNull(); // no items, no period
    }

    [Theory]
    [InlineData("manual")]
    [InlineData("subscription_threshold")]
    [InlineData(null)]
    public void Invoices_that_neither_start_a_period_nor_apply_a_change_read_as_nothing(string? reason) =>
        StripeBillingEvents.Read(new StripeInvoice { Id = "in_1", BillingReason = reason, Currency = "usd" }, PlanSlug.Starter, BillingInterval.Month)
            .ShouldBeNull();

    /// <summary>Free → a paid plan through Stripe Checkout, and its events delivered: the Stripe subscription and customer ids.</summary>
    private async Task<(string SubscriptionId, string CustomerId)> SubscribeAsync(string token, string plan)
    {
        var asked = await ChangePlanAsync(token, plan, 202);
        var sessionId = asked["checkoutUrl"]!.GetValue<string>().Split('/').Last();
        var (subscriptionId, customerId, events) = Stripe.CompleteSubscriptionCheckout(sessionId);
        foreach (var stripeEvent in events) await DeliverAsync(stripeEvent);
        return (subscriptionId, customerId);
    }

    private async Task<JsonObject> ChangePlanAsync(string token, string plan, int status)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(status);
        });
        return await result.JsonAsync();
    }

    private Task<JsonObject> GetAsync(string url, string token) => app.Host.GetAsJson<JsonObject>(url, token);

    private async Task<int> PlanGrantsAsync(string token) =>
        (await GetAsync("/api/credits/transactions?type=subscription", token))["items"]!.AsArray().Count;

    private static T Parse<T>(StripeEventJson stripeEvent) where T : class =>
        (T)EventUtility.ParseEvent(stripeEvent.Payload, throwOnApiVersionMismatch: true).Data.Object;

    private Task<JsonObject> DeliverAsync(StripeEventJson stripeEvent) => app.Host.DeliverWebhookAsync(stripeEvent.Payload);

    private async Task<HttpStatusCode> PostAsync(string payload)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Url("/api/billing/webhooks/stripe");
            s.Body.TextIs(payload);
            s.ConfigureHttpContext(c => c.Request.ContentType = "application/json; charset=utf-8");
            s.WithRequestHeader("Stripe-Signature", FakeStripe.Sign(payload, DateTimeOffset.UtcNow));
            s.IgnoreStatusCode();
        });
        return (HttpStatusCode)result.Context.Response.StatusCode;
    }
}
