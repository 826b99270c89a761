using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.AdjustCredits;

/// <summary>An operator's correction.</summary>
public sealed class AdjustCreditsEndpoint(IMessageBus bus) : Endpoint<AdjustCreditsRequest, Results<Created<AdjustCreditsResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/admin/organizations/{organizationId:guid}/credits/adjustments");
        Policies(Identity.Policies.SuperAdmin);
        Options(b => b.Idempotent());
        Description(d => d.WithName("AdjustCredits").WithSummary("Adjust an organization's credits (operators)").WithTags("Admin")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(404));
    }

    public override async Task<Results<Created<AdjustCreditsResponse>, ProblemHttpResult>> ExecuteAsync(AdjustCreditsRequest req, CancellationToken ct)
    {
        var organizationId = Route<Guid>("organizationId");
        // In the adjusted organization's tenant, not the operator's own.
        var outcome = await bus.InvokeForTenantAsync<Outcome<AdjustCreditsResponse>>(Tenancy.TenantOf(organizationId),
            new AdjustCredits(organizationId, User.Required().UserId, req.Amount, req.Reason.Trim(), req.Bucket ?? CreditKind.Promotional,
                HttpContext.Features.Get<IdempotentRequest>()), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Created("/api/credits/balance", outcome.Value);
    }
}
