using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Subscriptions;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace BaseAgency.Features.ChangePlan;

public sealed record ChangePlanRequest(PlanSlug Plan);

public enum PlanChangeStatus { Changed, PaymentRequired, Scheduled, PendingChangeCanceled }

public sealed record ChangePlanResponse(PlanChangeStatus Status, PlanSlug Plan, PlanSlug? PendingPlan, DateTimeOffset? EffectiveAt,
    int ExtraCredits, PurchaseView? Purchase);

public sealed class ChangePlanValidator : Validator<ChangePlanRequest>
{
    public ChangePlanValidator() => RuleFor(x => x.Plan).IsInEnum();
}

/// <summary>
/// POST /api/subscription (admin): move to another plan.
/// Upgrade: paid through the same checkout as credit packs, for the rest of the current period (the
/// monthly price difference times the share of the period left); once paid the plan switches and the
/// same share of the monthly credit difference is added as plan credits expiring with the period.
/// Answers 202 with the purchase; 200 when the amount is too small to charge and it applied at once.
/// Downgrade: scheduled for the end of the period (200); credits already held stay until they expire.
/// Asking for the current plan cancels a scheduled downgrade. Enterprise is arranged with sales (422).
/// </summary>
public sealed class ChangePlanEndpoint(IDocumentSession session, IWolverineRuntime wolverine, Purchases purchases, CreditLedger ledger,
    IOptions<BillingOptions> billing, TimeProvider clock)
    : Endpoint<ChangePlanRequest, Results<Ok<ChangePlanResponse>, Accepted<ChangePlanResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/subscription");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ChangePlan").WithSummary("Change the organization's plan").WithTags("Subscription")
            .ProducesProblem(400).ProducesProblem(409).ProducesProblem(422).ProducesProblem(503));
    }

    public override async Task<Results<Ok<ChangePlanResponse>, Accepted<ChangePlanResponse>, ProblemHttpResult>> ExecuteAsync(
        ChangePlanRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var (subscription, current) = await session.CurrentPlanAsync(caller.OrganizationId, ct);
        var target = await session.LoadAsync<Plan>(Plan.IdOf(req.Plan), ct);
        if (target is not { IsActive: true }) return Problems.Of(422, "unknown_plan", "That plan is not offered.");

        switch (PlanChanges.Compare(current, target))
        {
            case PlanChanges.Kind.ContactSales:
                return Problems.Of(422, "contact_sales", "The Enterprise plan is arranged with our sales team.",
                    "Contact sales; an operator moves the organization once the contract is signed.");

            case PlanChanges.Kind.Same when subscription.PendingPlan is null:
                return Problems.Conflict("already_on_plan", $"The organization is already on the {current.Name} plan.");

            case PlanChanges.Kind.Same:
                session.Store(subscription with { PendingPlan = null });
                await session.SaveChangesAsync(ct);
                return TypedResults.Ok(new ChangePlanResponse(PlanChangeStatus.PendingChangeCanceled, subscription.Plan, null, null, 0, null));

            case PlanChanges.Kind.Downgrade:
                session.Store(subscription with { PendingPlan = target.Slug });
                await session.SaveChangesAsync(ct);
                return TypedResults.Ok(new ChangePlanResponse(PlanChangeStatus.Scheduled, subscription.Plan, target.Slug,
                    subscription.CurrentPeriodEnd, 0, null));
        }

        if (await HasUpgradeWaitingForPaymentAsync(ct))
            return Problems.Conflict("plan_change_pending", "An upgrade is already waiting for payment.",
                "Pay it or let it expire (GET /api/credits/purchases/{id}) before asking for another.");

        var quote = PlanChanges.Quote(subscription, current, target, clock.GetUtcNow());
        var price = PlanChanges.PriceCents(current, target, quote);
        var extra = PlanChanges.ExtraCredits(current, target, quote);
        if (price < billing.Value.MinimumChargeCents)
        {
            await PlanChanges.ApplyUpgradeAsync(session, ledger, caller.OrganizationId, quote, extra, $"plan-change:{Guid.CreateVersion7()}", ct);
            await session.SaveChangesAsync(ct);
            return TypedResults.Ok(new ChangePlanResponse(PlanChangeStatus.Changed, target.Slug, null, clock.GetUtcNow(), extra, null));
        }

        var purchase = purchases.New(caller.OrganizationId, caller.UserId, PurchaseKind.PlanChange, target.Id,
            $"Upgrade to {target.Name} until {subscription.CurrentPeriodEnd:yyyy-MM-dd}", extra, price, "USD", quote);
        try
        {
            purchase = await purchases.OpenAsync(session, new MartenOutbox(wolverine, session), purchase, ct);
        }
        catch (PaymentProviderUnavailable unavailable)
        {
            Logger.LogWarning(unavailable.InnerException, "Checkout for plan change {PurchaseId} could not be opened", purchase.Id);
            return unavailable.ToProblem();
        }
        await session.SaveChangesAsync(ct);

        return purchase.Status == PurchaseStatus.Paid
            ? TypedResults.Ok(new ChangePlanResponse(PlanChangeStatus.Changed, target.Slug, null, purchase.CompletedAt, extra, PurchaseView.Of(purchase)))
            : TypedResults.Accepted($"/api/credits/purchases/{purchase.Id}",
                new ChangePlanResponse(PlanChangeStatus.PaymentRequired, subscription.Plan, null, null, extra, PurchaseView.Of(purchase)));
    }

    private Task<bool> HasUpgradeWaitingForPaymentAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return session.Query<Purchase>().AnyAsync(p => p.Kind == PurchaseKind.PlanChange && p.Status == PurchaseStatus.Pending && p.ExpiresAt > now, ct);
    }
}
