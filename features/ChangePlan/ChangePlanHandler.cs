using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.ChangePlan;

/// <summary>What asking for a plan leads to.</summary>
public abstract record PlanChangeDecision
{
    public sealed record Refused(ProblemHttpResult Problem) : PlanChangeDecision;

    public sealed record CancelPendingDowngrade : PlanChangeDecision;

    public sealed record ScheduleDowngrade(PlanSlug To) : PlanChangeDecision;

    /// <summary>Too little to be worth charging: the plan switches at once.</summary>
    public sealed record UpgradeNow(PlanChangeQuote Quote, int ExtraCredits) : PlanChangeDecision;

    public sealed record UpgradeWhenPaid(PlanChangeQuote Quote, long PriceCents, int ExtraCredits) : PlanChangeDecision;
}

/// <summary>
/// Upgrade: paid through the same checkout as credit packs, for the rest of the current period (the
/// monthly price difference times the share of the period left); once paid the plan switches and the
/// same share of the monthly credit difference is added as plan credits expiring with the period.
/// When the amount is too small to charge it applies at once.
/// Downgrade: scheduled for the end of the period; credits already held stay until they expire.
/// Asking for the current plan cancels a scheduled downgrade. Enterprise is arranged with sales.
/// </summary>
public static class ChangePlanHandler
{
    public static PlanChangeDecision Decide(Subscription subscription, Plan current, Plan? target, bool upgradeWaitingForPayment,
        long minimumChargeCents, DateTimeOffset now)
    {
        if (target is not { IsActive: true }) return new PlanChangeDecision.Refused(Problems.Of(422, "unknown_plan", "That plan is not offered."));

        switch (PlanChanges.Compare(current, target))
        {
            case PlanChanges.Kind.ContactSales:
                return new PlanChangeDecision.Refused(Problems.Of(422, "contact_sales", "The Enterprise plan is arranged with our sales team.",
                    "Contact sales; an operator moves the organization once the contract is signed."));
            case PlanChanges.Kind.Same when subscription.PendingPlan is null:
                return new PlanChangeDecision.Refused(
                    Problems.Conflict("already_on_plan", $"The organization is already on the {current.Name} plan."));
            case PlanChanges.Kind.Same:
                return new PlanChangeDecision.CancelPendingDowngrade();
            case PlanChanges.Kind.Downgrade:
                return new PlanChangeDecision.ScheduleDowngrade(target.Slug);
        }

        if (upgradeWaitingForPayment)
            return new PlanChangeDecision.Refused(Problems.Conflict("plan_change_pending", "An upgrade is already waiting for payment.",
                "Pay it or let it expire (GET /api/credits/purchases/{id}) before asking for another."));

        var quote = PlanChanges.Quote(subscription, current, target, now);
        var price = PlanChanges.PriceCents(current, target, quote);
        var extra = PlanChanges.ExtraCredits(current, target, quote);
        return price < minimumChargeCents
            ? new PlanChangeDecision.UpgradeNow(quote, extra)
            : new PlanChangeDecision.UpgradeWhenPaid(quote, price, extra);
    }

    public static async Task<Outcome<PlanChangeAnswer>> Handle(ChangePlan command, IDocumentSession session, IMessageContext bus,
        PurchaseCheckout checkout, CreditLedger ledger, IOptions<BillingOptions> billing, TimeProvider clock, CancellationToken ct)
    {
        var (subscription, current) = await session.CurrentPlanAsync(command.OrganizationId, ct);
        var target = await session.LoadAsync<Plan>(Plan.IdOf(command.Plan), ct);
        var now = clock.GetUtcNow();
        var upgradeWaiting = await session.Query<Purchase>()
            .AnyAsync(p => p.Kind == PurchaseKind.PlanChange && p.Status == PurchaseStatus.Pending && p.ExpiresAt > now, ct);

        var decision = Decide(subscription, current, target, upgradeWaiting, billing.Value.MinimumChargeCents, now);
        switch (decision)
        {
            case PlanChangeDecision.Refused refused:
                return refused.Problem;
            case PlanChangeDecision.CancelPendingDowngrade:
                session.Store(subscription with { PendingPlan = null });
                return Answer(new(PlanChangeStatus.PendingChangeCanceled, subscription.Plan, null, null, 0, null));
            case PlanChangeDecision.ScheduleDowngrade downgrade:
                session.Store(subscription with { PendingPlan = downgrade.To });
                return Answer(new(PlanChangeStatus.Scheduled, subscription.Plan, downgrade.To, subscription.CurrentPeriodEnd, 0, null));
            case PlanChangeDecision.UpgradeNow upgrade:
                await PlanChanges.ApplyUpgradeAsync(session, ledger, command.OrganizationId, upgrade.Quote, upgrade.ExtraCredits,
                    $"plan-change:{Guid.CreateVersion7()}", ct);
                return Answer(new(PlanChangeStatus.Changed, upgrade.Quote.To(), null, now, upgrade.ExtraCredits, null));
        }

        var whenPaid = (PlanChangeDecision.UpgradeWhenPaid)decision;
        var purchase = checkout.New(command.OrganizationId, command.UserId, PurchaseKind.PlanChange, target!.Id,
            $"Upgrade to {target.Name} until {subscription.CurrentPeriodEnd:yyyy-MM-dd}", whenPaid.ExtraCredits, whenPaid.PriceCents, "USD",
            whenPaid.Quote);
        var opened = await checkout.OpenAsync(session, bus, purchase, ct);
        if (opened.Problem is { } problem) return problem;
        return new PlanChangeAnswer(ChangePlanResponse.Upgrading(subscription.Plan, opened.Value!.Purchase), opened.Value.SettleNow);
    }

    private static PlanChangeAnswer Answer(ChangePlanResponse response) => new(response, null);
}
