using BaseAgency.Billing;
using BaseAgency.Plans;

namespace BaseAgency.Features.ChangePlan;

public sealed record ChangePlanRequest(PlanSlug Plan);

public sealed record ChangePlan(Guid OrganizationId, Guid UserId, PlanSlug Plan);

public enum PlanChangeStatus { Changed, PaymentRequired, Scheduled, PendingChangeCanceled }

public sealed record ChangePlanResponse(PlanChangeStatus Status, PlanSlug Plan, PlanSlug? PendingPlan, DateTimeOffset? EffectiveAt,
    int ExtraCredits, PurchaseView? Purchase)
{
    /// <summary>An upgrade bought through a purchase: changed once it is paid, waiting for payment until then.</summary>
    public static ChangePlanResponse Upgrading(PlanSlug current, Purchase purchase) => purchase.Status == PurchaseStatus.Paid
        ? new(PlanChangeStatus.Changed, purchase.PlanChange!.To(), null, purchase.CompletedAt, purchase.Credits, PurchaseView.Of(purchase))
        : new(PlanChangeStatus.PaymentRequired, current, null, null, purchase.Credits, PurchaseView.Of(purchase));
}

/// <summary>The handler's answer, and the settlement the endpoint runs once it is committed (a purchase that completes by itself).</summary>
public sealed record PlanChangeAnswer(ChangePlanResponse Response, Billing.SettlePurchase? SettleNow);
