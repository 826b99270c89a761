using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;

namespace BaseAgency.Features.GetMe;

public static class GetMeHandler
{
    public static async Task<Outcome<MeResponse>> Handle(GetMe query, IQuerySession session, CancellationToken ct)
    {
        var user = await session.LoadAsync<User>(query.UserId, ct);
        var organization = await session.LoadAsync<Organization>(query.OrganizationId, ct);
        if (user is null || organization is null) return Problems.NotFound("The member");

        var (subscription, plan) = await session.CurrentPlanAsync(query.OrganizationId, ct);
        return new MeResponse(MemberView.Of(user), OrganizationView.Of(organization), query.Role,
            new PlanView(plan.Slug, plan.Name, subscription.Status, subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd,
                plan.Limits, plan.Features));
    }
}
