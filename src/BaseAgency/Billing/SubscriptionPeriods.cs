using BaseAgency.Events;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Wolverine;

namespace BaseAgency.Billing;

/// <summary>
/// Moving a subscription into a new period, shared by the renewal, a paid invoice and the end of a grace. A period's
/// plan credits are granted under one reference per period start and plan (<see cref="CreditRules.PeriodGrant"/>), by whichever
/// path gets there first, so never twice.
/// </summary>
public static class SubscriptionPeriods
{
    /// <summary>
    /// Starts <paramref name="next"/>'s period: what is left of the old plan credits expires and <paramref name="credits"/>
    /// are granted (none yet for a paid period whose invoice is open). We schedule the renewal unless Stripe drives periods.
    /// A period that starts in good standing is announced as <c>subscription.renewed</c> (an unpaid one as past due instead).
    /// </summary>
    public static async Task StartAsync(IDocumentSession session, IMessageBus bus, CreditLedger ledger, Subscription next, Plan plan,
        int credits, DateTimeOffset now, CancellationToken ct)
    {
        session.Store(next);
        if (await ledger.RenewAsync(session, next.Id, next.CurrentPeriodStart, next.CurrentPeriodEnd, plan.Id, credits, ct) is { } rejection)
            throw new InvalidOperationException($"The ledger refused the period starting {next.CurrentPeriodStart:O}: {rejection.Message}");
        if (!next.ProviderManaged) await bus.ScheduleRenewalAsync(next);
        if (next.Status == SubscriptionStatus.Active) await RenewedAsync(session, bus, next, now);
    }

    /// <summary>A period in good standing began: started paid or free, or its late invoice was paid.</summary>
    public static ValueTask<OrganizationEvent> RenewedAsync(IDocumentSession session, IMessageBus bus, Subscription subscription, DateTimeOffset now) =>
        OrganizationEvents.RecordAsync(session, bus, subscription.Id, EventTypes.SubscriptionRenewed, EventView(subscription), now);

    /// <summary>What a subscription event carries: the subscription as the API shows it, nothing of the payment provider's.</summary>
    private static object EventView(Subscription s) =>
        new { plan = s.Plan, status = s.Status, interval = s.Interval, s.CurrentPeriodStart, s.CurrentPeriodEnd, s.GraceEndsAt };

    /// <summary>Grants the plan credits of the current period once it is paid (its start was staged unpaid).</summary>
    public static Task GrantAsync(IDocumentSession session, CreditLedger ledger, Subscription subscription, Plan plan, int credits,
        CancellationToken ct) =>
        GrantPlanCreditsAsync(session, ledger, subscription, credits, $"{plan.Id} plan credits",
            CreditRules.PeriodGrant(subscription.CurrentPeriodStart, plan.Id), ct);

    /// <summary>Paid-for plan credits, expiring with the current period, granted once per reference.</summary>
    public static async Task GrantPlanCreditsAsync(IDocumentSession session, CreditLedger ledger, Subscription subscription, int credits,
        string reason, string reference, CancellationToken ct)
    {
        if (credits <= 0) return;
        // Paid for already, so a refusal is a bug, not an answer: the transaction must not commit without the credits.
        if (await ledger.GrantAsync(session, subscription.Id, BucketKind.Plan, credits, subscription.CurrentPeriodEnd, reason, reference, ct)
            is { } rejection)
            throw new InvalidOperationException($"The ledger refused paid plan credits ({reference}): {rejection.Message}");
    }

    /// <summary>Back on Free from now, with its credits; invoices still open will not be collected.</summary>
    public static async Task FallBackToFreeAsync(IDocumentSession session, IMessageBus bus, CreditLedger ledger, Subscription subscription,
        DateTimeOffset now, CancellationToken ct)
    {
        var free = await session.LoadAsync<Plan>(Plan.IdOf(PlanSlug.Free), ct)
                   ?? throw new InvalidOperationException("The Free plan is not seeded.");
        await StartAsync(session, bus, ledger, subscription.FreeFrom(now), free, free.CreditsMonthly, now, ct);
        foreach (var open in await session.Query<Invoice>().Where(i => i.Status == InvoiceStatus.Open).ToListAsync(ct))
            session.Store(open with { Status = InvoiceStatus.Uncollectible });
    }

    /// <summary>
    /// The change waiting for payment is over (expired, replaced, or its period ended): its open invoice can no longer be
    /// paid, so it never applies late.
    /// </summary>
    public static async Task VoidPendingChangeAsync(IDocumentSession session, Subscription subscription, CancellationToken ct)
    {
        if (subscription.PendingChange is { } pending && await Invoice.FindAsync(session, pending.Reference, ct) is { Status: InvoiceStatus.Open } open)
            session.Store(open with { Status = InvoiceStatus.Void });
    }

    /// <summary>Past due from now: the plan stays until the grace ends, then <see cref="EndGracePeriod"/> decides.</summary>
    public static async Task<Subscription> PastDueAsync(IDocumentSession session, IMessageBus bus, Subscription subscription, TimeSpan grace,
        DateTimeOffset now)
    {
        if (subscription is { Status: SubscriptionStatus.PastDue, GraceEndsAt: not null }) return subscription;
        var pastDue = subscription with { Status = SubscriptionStatus.PastDue, GraceEndsAt = now + grace };
        await bus.ScheduleAsync(new EndGracePeriod(subscription.Id, pastDue.GraceEndsAt!.Value), pastDue.GraceEndsAt.Value,
            new DeliveryOptions { TenantId = Tenancy.TenantOf(subscription.Id) });
        await OrganizationEvents.RecordAsync(session, bus, subscription.Id, EventTypes.SubscriptionPastDue, EventView(pastDue), now);
        return pastDue;
    }
}
