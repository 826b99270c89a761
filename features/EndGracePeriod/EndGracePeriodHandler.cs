using BaseAgency.Billing;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using Marten;
using Wolverine;

namespace BaseAgency.Features.EndGracePeriod;

public enum GraceStep { Nothing, WaitUntilEnd, FallBackToFree }

/// <summary>
/// When a past-due subscription's grace ends unpaid, it falls back to Free (Stripe's subscription is canceled), with the
/// Free plan's credits from now. A payment in the meantime made it active, so the message finds nothing to do.
/// </summary>
public static class EndGracePeriodHandler
{
    public static GraceStep Decide(Subscription subscription, DateTimeOffset graceEndsAt, DateTimeOffset now) =>
        subscription.Status != SubscriptionStatus.PastDue || subscription.GraceEndsAt != graceEndsAt ? GraceStep.Nothing
        : graceEndsAt > now ? GraceStep.WaitUntilEnd
        : GraceStep.FallBackToFree;

    public static async Task Handle(Billing.EndGracePeriod message, IDocumentSession session, IMessageContext bus, CreditLedger ledger,
        IPaymentProvider provider, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var subscription = (await session.CurrentPlanAsync(message.OrganizationId, ct)).Subscription;
        switch (Decide(subscription, message.GraceEndsAt, now))
        {
            case GraceStep.Nothing:
                return;
            case GraceStep.WaitUntilEnd:
                await bus.ScheduleAsync(message, message.GraceEndsAt, new DeliveryOptions { TenantId = bus.TenantId });
                return;
        }

        // Stripe first: if it cannot be reached the message is retried, and nothing here has changed yet.
        if (subscription.ProviderManaged && provider.Subscriptions is { } stripe) await stripe.CancelNowAsync(subscription, ct);
        await SubscriptionPeriods.FallBackToFreeAsync(session, bus, ledger, subscription, now, ct);
    }
}
