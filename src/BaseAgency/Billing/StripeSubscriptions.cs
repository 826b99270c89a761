using System.Collections.Concurrent;
using BaseAgency.Plans;
using Marten;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using Plan = BaseAgency.Plans.Plan;
using Subscription = BaseAgency.Plans.Subscription;

namespace BaseAgency.Billing;

/// <summary>
/// Stripe Billing runs paid plans: one Stripe Price per plan and interval, a Checkout Session in subscription mode for
/// the first paid plan, then Stripe's own invoices each period. The subscription carries the organization id in its
/// metadata, which Stripe copies onto every invoice, so its events find their organization.
/// </summary>
public sealed class StripeSubscriptions(StripeClient stripe, IDocumentStore store, IOptions<BillingOptions> billing,
    IOptions<StripeOptions> options) : ISubscriptionBilling
{
    /// <summary>Plan prices are in US dollars, like the credit packs.</summary>
    private const string Currency = "usd";

    private readonly ConcurrentDictionary<(PlanSlug, BillingInterval), string> _priceIds = new();
    private readonly ConcurrentDictionary<string, (PlanSlug Plan, BillingInterval Interval)> _plans = new();

    public string Name => StripePayments.Id;

    /// <summary>"starter_month": the name of a price in configuration (Stripe:Prices) and, prefixed, its Stripe lookup_key.</summary>
    public static string PriceName(PlanSlug plan, BillingInterval interval) => $"{Plan.IdOf(plan)}_{IntervalName(interval)}";

    /// <summary>Stripe's name of an interval ("month", "year").</summary>
    private static string IntervalName(BillingInterval interval) => interval.ToString().ToLowerInvariant();

    public static string LookupKey(PlanSlug plan, BillingInterval interval) => $"baseagency_{PriceName(plan, interval)}";

    /// <summary>The plan and interval a Stripe price stands for: its lookup_key, else its metadata (a price whose lookup_key moved to a newer one).</summary>
    public static (PlanSlug Plan, BillingInterval Interval)? PlanOf(Price price) =>
        ParsePriceName(price.LookupKey is { } key && key.StartsWith("baseagency_", StringComparison.Ordinal) ? key["baseagency_".Length..] : null)
        ?? (price.Metadata is { } m && m.TryGetValue("plan", out var plan) && m.TryGetValue("interval", out var interval)
            ? ParsePriceName($"{plan}_{interval}")
            : null);

    /// <summary>The plan and interval a price name ("starter_month") stands for; null for any other name.</summary>
    public static (PlanSlug Plan, BillingInterval Interval)? ParsePriceName(string? name) =>
        name?.Split('_') is [var plan, var interval]
        && Enum.TryParse<PlanSlug>(plan, ignoreCase: true, out var slug) && Enum.TryParse<BillingInterval>(interval, ignoreCase: true, out var every)
        && Plan.IdOf(slug) == plan && PriceName(slug, every) == name
            ? (slug, every)
            : null;

    public Task<Checkout> StartAsync(SubscriptionOrder order, CancellationToken ct) => CallAsync(ct, async () =>
    {
        var price = await PriceIdAsync(order.Plan, order.Interval, ct);
        var metadata = new Dictionary<string, string>
        {
            ["organization_id"] = order.OrganizationId.ToString(),
            ["change_id"] = order.ChangeId.ToString(),
        };
        var session = await new SessionService(stripe).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            ClientReferenceId = order.OrganizationId.ToString(),
            Metadata = metadata,
            // Copied by Stripe onto every invoice of the subscription: how its events find the organization.
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new() { ["organization_id"] = order.OrganizationId.ToString() } },
            LineItems = [new SessionLineItemOptions { Price = price, Quantity = 1 }],
            // Back to the billing page, where the subscription shows the plan once its first invoice is paid.
            SuccessUrl = QueryHelpers.AddQueryString(billing.Value.PortalReturnUrl, "result", "success"),
            CancelUrl = QueryHelpers.AddQueryString(billing.Value.PortalReturnUrl, "result", "canceled"),
            ExpiresAt = order.ExpiresAt.UtcDateTime,
        }, Idempotent($"subscription-checkout-{order.ChangeId}"), ct);
        return new Checkout(session.Id, session.Url);
    });

    public Task ChangePlanAsync(Subscription subscription, PlanSlug plan, BillingInterval interval, bool upgrade, Guid changeId,
        CancellationToken ct) => CallAsync(ct, async () =>
    {
        var subscriptions = new SubscriptionService(stripe);
        var current = await subscriptions.GetAsync(ProviderId(subscription), cancellationToken: ct);
        var item = current.Items.Data[0];
        var price = await PriceIdAsync(plan, interval, ct);
        // Stripe bills a new interval at once, in full, from the day of the change: one that waits for the period's end is a
        // schedule whose next phase starts there.
        if (!upgrade && item.Price.Recurring?.Interval != IntervalName(interval))
        {
            await ScheduleAsync(current, item, price, interval, changeId, ct);
            return;
        }

        await ReleaseScheduleAsync(current, ct);
        await subscriptions.UpdateAsync(current.Id, new SubscriptionUpdateOptions
        {
            Items = [new SubscriptionItemOptions { Id = item.Id, Price = price }],
            // An upgrade is invoiced at once for the rest of the period and Stripe applies it only once that invoice
            // is paid; a downgrade costs nothing now and is billed from the next period.
            ProrationBehavior = upgrade ? "always_invoice" : "none",
            PaymentBehavior = upgrade ? "pending_if_incomplete" : null,
            Metadata = new() { ["change_id"] = changeId.ToString() },
        }, Idempotent($"subscription-change-{changeId}"), ct);
    });

    public Task SetCancelAtPeriodEndAsync(Subscription subscription, bool cancel, CancellationToken ct) => CallAsync(ct, async () =>
    {
        var subscriptions = new SubscriptionService(stripe);
        var current = await subscriptions.GetAsync(ProviderId(subscription), cancellationToken: ct);
        await ReleaseScheduleAsync(current, ct);
        await subscriptions.UpdateAsync(current.Id, new SubscriptionUpdateOptions { CancelAtPeriodEnd = cancel }, cancellationToken: ct);
    });

    public Task CancelNowAsync(Subscription subscription, CancellationToken ct) => CallAsync(ct, async () =>
    {
        var subscriptions = new SubscriptionService(stripe);
        var current = await subscriptions.GetAsync(ProviderId(subscription), cancellationToken: ct);
        // Stripe may have ended it already (its own retries ran out): canceling it again would be refused.
        if (current.Status is not ("canceled" or "incomplete_expired")) await subscriptions.CancelAsync(current.Id, cancellationToken: ct);
    });

    public Task<string?> PortalUrlAsync(Subscription subscription, string returnUrl, CancellationToken ct) =>
        subscription.ProviderCustomerId is not { } customer
            ? Task.FromResult<string?>(null)
            : CallAsync<string?>(ct, async () => (await new Stripe.BillingPortal.SessionService(stripe).CreateAsync(
                new Stripe.BillingPortal.SessionCreateOptions { Customer = customer, ReturnUrl = returnUrl }, cancellationToken: ct)).Url);

    /// <summary>This period on its price, then <paramref name="price"/> from the period's end (the schedule then lets go).</summary>
    private async Task ScheduleAsync(Stripe.Subscription current, SubscriptionItem item, string price,
        BillingInterval interval, Guid changeId, CancellationToken ct)
    {
        var schedules = new SubscriptionScheduleService(stripe);
        var schedule = current.ScheduleId is { } id
            ? await schedules.GetAsync(id, cancellationToken: ct)
            : await schedules.CreateAsync(new SubscriptionScheduleCreateOptions { FromSubscription = current.Id },
                Idempotent($"subscription-schedule-{changeId}"), ct);
        await schedules.UpdateAsync(schedule.Id, new SubscriptionScheduleUpdateOptions
        {
            EndBehavior = "release",
            ProrationBehavior = "none",
            Phases =
            [
                new SubscriptionSchedulePhaseOptions
                {
                    Items = [new SubscriptionSchedulePhaseItemOptions { Price = item.Price.Id, Quantity = 1 }],
                    StartDate = schedule.CurrentPhase?.StartDate ?? item.CurrentPeriodStart,
                    EndDate = item.CurrentPeriodEnd,
                },
                new SubscriptionSchedulePhaseOptions
                {
                    Items = [new SubscriptionSchedulePhaseItemOptions { Price = price, Quantity = 1 }],
                    Duration = new SubscriptionSchedulePhaseDurationOptions { Interval = IntervalName(interval), IntervalCount = 1 },
                },
            ],
            Metadata = new() { ["change_id"] = changeId.ToString() },
        }, Idempotent($"subscription-change-{changeId}"), ct);
    }

    /// <summary>A change asked for later replaces one scheduled for the period's end (and Stripe refuses some while a schedule holds it).</summary>
    private async Task ReleaseScheduleAsync(Stripe.Subscription current, CancellationToken ct)
    {
        if (current.ScheduleId is { } id) await new SubscriptionScheduleService(stripe).ReleaseAsync(id, cancellationToken: ct);
    }

    /// <summary>The subscription as Stripe holds it now; null when Stripe has no such subscription.</summary>
    public async Task<Stripe.Subscription?> CurrentAsync(string subscriptionId, CancellationToken ct)
    {
        try
        {
            return await new SubscriptionService(stripe).GetAsync(subscriptionId, cancellationToken: ct);
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The Stripe price for a plan and interval: pinned in configuration, else found by lookup_key, else created.</summary>
    public async Task<string> PriceIdAsync(PlanSlug plan, BillingInterval interval, CancellationToken ct)
    {
        if (options.Value.Prices.TryGetValue(PriceName(plan, interval), out var pinned)) return pinned;
        if (_priceIds.TryGetValue((plan, interval), out var known)) return known;

        var prices = new PriceService(stripe);
        var key = LookupKey(plan, interval);
        var found = await prices.ListAsync(new PriceListOptions { LookupKeys = [key], Active = true }, cancellationToken: ct);
        var price = found.Data.FirstOrDefault() ?? await CreatePriceAsync(prices, plan, interval, key, ct);
        Remember(price.Id, plan, interval);
        return price.Id;
    }

    /// <summary>The plan and interval of a price named in an invoice; null for a price that is not one of our plans.</summary>
    public async Task<(PlanSlug Plan, BillingInterval Interval)?> PlanOfAsync(string priceId, CancellationToken ct)
    {
        if (_plans.TryGetValue(priceId, out var known)) return known;
        foreach (var (name, id) in options.Value.Prices)
            if (id == priceId && ParsePriceName(name) is var (pinnedPlan, pinnedInterval))
                return Remember(id, pinnedPlan, pinnedInterval);
        try
        {
            var price = await new PriceService(stripe).GetAsync(priceId, cancellationToken: ct);
            return PlanOf(price) is var (plan, interval) ? Remember(price.Id, plan, interval) : null;
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<Price> CreatePriceAsync(PriceService prices, PlanSlug plan, BillingInterval interval, string key, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var seeded = await query.LoadAsync<Plan>(Plan.IdOf(plan), ct) ?? throw new InvalidOperationException($"Plan '{plan}' is not seeded.");
        var cents = interval == BillingInterval.Year ? seeded.PriceYearlyCents : seeded.PriceMonthlyCents;
        if (cents <= 0) throw new InvalidOperationException($"The {seeded.Name} plan has no {interval} price to bill.");

        var product = $"baseagency_{Plan.IdOf(plan)}";
        try
        {
            await new ProductService(stripe).CreateAsync(new ProductCreateOptions { Id = product, Name = $"BASE Agency {seeded.Name}" },
                cancellationToken: ct);
        }
        catch (StripeException e) when (e.StripeError?.Code == "resource_already_exists")
        {
            // Made for the other interval, or by another instance: one product per plan.
        }
        var metadata = new Dictionary<string, string> { ["plan"] = Plan.IdOf(plan), ["interval"] = IntervalName(interval) };
        return await prices.CreateAsync(new PriceCreateOptions
        {
            Product = product,
            Currency = Currency,
            UnitAmount = cents,
            Recurring = new PriceRecurringOptions { Interval = IntervalName(interval) },
            LookupKey = key,
            // Two instances creating it at once: the later one takes the key; the earlier price still maps back by metadata.
            TransferLookupKey = true,
            Metadata = metadata,
        }, Idempotent($"price-{key}-{cents}"), ct);
    }

    private (PlanSlug, BillingInterval) Remember(string priceId, PlanSlug plan, BillingInterval interval)
    {
        _priceIds.TryAdd((plan, interval), priceId);
        _plans[priceId] = (plan, interval);
        return (plan, interval);
    }

    private static string ProviderId(Subscription subscription) =>
        subscription.ProviderSubscriptionId ?? throw new InvalidOperationException($"Subscription {subscription.Id} is not run by Stripe.");

    private static RequestOptions Idempotent(string key) => new() { IdempotencyKey = key };

    private Task CallAsync(CancellationToken ct, Func<Task> call) => CallAsync(ct, async () =>
    {
        await call();
        return true;
    });

    private async Task<T> CallAsync<T>(CancellationToken ct, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PaymentProviderUnavailable(Name, e);
        }
    }
}
