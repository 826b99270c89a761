using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.AdjustCredits;

public sealed record AdjustCreditsRequest(int Amount, string Reason);

public sealed record AdjustCreditsResponse(Guid OrganizationId, int Amount, int Available, int Balance);

public sealed class AdjustCreditsValidator : Validator<AdjustCreditsRequest>
{
    public AdjustCreditsValidator()
    {
        RuleFor(x => x.Amount).NotEqual(0).InclusiveBetween(-1_000_000, 1_000_000);
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
    }
}

/// <summary>
/// POST /api/admin/organizations/{id}/credits/adjustments (super_admin): an operator's correction, in the
/// ledger like every movement and in the audit log with who and why.
/// </summary>
public sealed class AdjustCreditsEndpoint(IDocumentStore store, CreditLedger ledger, TimeProvider clock)
    : Endpoint<AdjustCreditsRequest, Results<Created<AdjustCreditsResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/admin/organizations/{organizationId:guid}/credits/adjustments");
        Policies(Identity.Policies.SuperAdmin);
        Description(d => d.WithName("AdjustCredits").WithSummary("Adjust an organization's credits (operators)").WithTags("Admin")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(404));
    }

    public override async Task<Results<Created<AdjustCreditsResponse>, ProblemHttpResult>> ExecuteAsync(AdjustCreditsRequest req, CancellationToken ct)
    {
        var organizationId = Route<Guid>("organizationId");
        var actor = User.Required().UserId;
        await using var session = store.SessionFor(organizationId);
        if (await session.LoadAsync<Organization>(organizationId, ct) is null) return Problems.NotFound("The organization");

        if (await ledger.AdjustAsync(session, organizationId, req.Amount, req.Reason.Trim(), actor, ct) is { } rejection)
            return Problems.From(rejection);
        session.Store(new AuditEntry(Guid.CreateVersion7(), actor, "credits.adjusted", organizationId,
            $"{req.Amount:+#;-#} credits: {req.Reason.Trim()}", clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);

        var account = (await ledger.ReadAsync(session, organizationId, ct))!;
        return TypedResults.Created($"/api/credits/balance", new AdjustCreditsResponse(organizationId, req.Amount, account.Available, account.Balance));
    }
}
