using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Plans;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ChangePlan;

/// <summary>
/// Move to another plan or billing interval. 202 while the change waits for payment, 200 otherwise.
/// </summary>
public sealed class ChangePlanEndpoint(IMessageBus bus)
    : Endpoint<ChangePlanRequest, Results<Ok<ChangePlanResponse>, Accepted<ChangePlanResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/subscription");
        Policies(Identity.Policies.Admin);
        Options(b => b.Idempotent().RequiresScope(ApiKeyScope.Billing));
        Description(d => d.WithName("ChangePlan").WithSummary("Change the organization's plan").WithTags("Subscription")
            .ProducesProblem(400).ProducesProblem(409).ProducesProblem(422).ProducesProblem(503));
    }

    public override async Task<Results<Ok<ChangePlanResponse>, Accepted<ChangePlanResponse>, ProblemHttpResult>> ExecuteAsync(
        ChangePlanRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<PlanChangeAnswer>>(caller.Tenant,
            new ChangePlan(caller.OrganizationId, caller.UserId, req.Plan, req.Interval), ct);
        if (outcome.Problem is { } problem) return problem;

        var response = outcome.Value!.Response;
        if (outcome.Value.PayNow is { } payNow &&
            (await bus.InvokeForTenantAsync<Outcome<Subscription>>(caller.Tenant, payNow, ct)).Value is { } paid)
            response = response with
            {
                Status = PlanChangeStatus.Changed, Plan = paid.Plan, Interval = paid.Interval, EffectiveAt = paid.CurrentPeriodStart,
                Invoice = response.Invoice! with { Status = InvoiceStatus.Paid },
            };
        return response.Status == PlanChangeStatus.PaymentRequired
            ? TypedResults.Accepted(response.CheckoutUrl ?? "/api/billing/invoices", response)
            : TypedResults.Ok(response);
    }
}
