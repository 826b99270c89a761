using BaseAgency.Http;
using BaseAgency.Plans;
using Marten;

namespace BaseAgency.Features.ListPlans;

public static class ListPlansHandler
{
    public static async Task<Outcome<PlansResponse>> Handle(ListPlans query, IQuerySession session, CancellationToken ct)
    {
        var plans = await session.Query<Plan>().Where(p => p.IsActive).ToListAsync(ct);
        return new PlansResponse(plans.OrderBy(p => p.Slug).ToList());
    }
}
