using BaseAgency.Plans;
using FastEndpoints;
using Marten;

namespace BaseAgency.Features.ListPlans;

public sealed record PlansResponse(IReadOnlyList<Plan> Items);

/// <summary>GET /api/plans: the public price list (prices in cents).</summary>
public sealed class ListPlansEndpoint(IQuerySession session) : EndpointWithoutRequest<PlansResponse>
{
    public override void Configure()
    {
        Get("/plans");
        AllowAnonymous();
        Description(d => d.WithName("ListPlans").WithSummary("Plans with prices, monthly credits, limits and features").WithTags("Billing"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var plans = await session.Query<Plan>().Where(p => p.IsActive).ToListAsync(ct);
        await Send.OkAsync(new PlansResponse(plans.OrderBy(p => p.Slug).ToList()), ct);
    }
}
