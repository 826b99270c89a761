using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.MarkPurchasePaid;

/// <summary>
/// POST /api/admin/purchases/{id}/mark-paid (super_admin): with the manual payment provider, an operator
/// confirms the money arrived. Marking twice grants once. Audited.
/// </summary>
public sealed class MarkPurchasePaidEndpoint(IDocumentStore store, Purchases purchases, TimeProvider clock)
    : EndpointWithoutRequest<Results<Ok<PurchaseView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/admin/purchases/{purchaseId:guid}/mark-paid");
        Policies(Identity.Policies.SuperAdmin);
        Description(d => d.WithName("MarkPurchasePaid").WithSummary("Confirm a manual payment (operators)").WithTags("Admin")
            .ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<PurchaseView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var found = await Purchases.FindAnywhereAsync(store, Route<Guid>("purchaseId"), ct);
        if (found is null) return Problems.NotFound("The purchase");
        if (found.Provider != "manual")
            return Problems.Conflict("not_manual", "Only purchases paid by hand can be marked paid.",
                $"This purchase is paid through '{found.Provider}', which reports payment itself.");

        var actor = User.Required().UserId;
        await using var session = store.SessionFor(found.OrganizationId);
        var purchase = (await session.LoadAsync<Purchase>(found.Id, ct))!;
        var settled = await purchases.SettleAsync(session, purchase, PaymentOutcome.Paid, $"operator:{actor}", ct);
        if (!ReferenceEquals(settled, purchase))
            session.Store(new AuditEntry(Guid.CreateVersion7(), actor, "purchase.marked_paid", found.OrganizationId,
                $"{purchase.Description} ({purchase.AmountCents / 100m} {purchase.Currency}), purchase {purchase.Id}", clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(PurchaseView.Of(settled));
    }
}
