using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using FastEndpoints;
using Marten;

namespace BaseAgency.Features.GetMe;

public sealed record MeResponse(MemberView User, OrganizationView Organization, Role Role, PlanView Plan);

public sealed record PlanView(PlanSlug Slug, string Name, SubscriptionStatus Status, DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd, PlanLimits Limits, PlanFeatures Features);

/// <summary>GET /api/me: who I am, where I belong, what I may do and on which plan.</summary>
public sealed class GetMeEndpoint(IQuerySession session) : EndpointWithoutRequest<MeResponse>
{
    public override void Configure()
    {
        Get("/me");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetMe").WithSummary("The signed-in member, organization, role and plan").WithTags("Identity"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (userId, orgId, role) = User.Required();
        var user = await session.LoadAsync<Identity.User>(userId, ct);
        var organization = await session.LoadAsync<Organization>(orgId, ct);
        if (user is null || organization is null)
        {
            await Send.NotFoundAsync(ct);
            return;
        }

        var (subscription, plan) = await session.CurrentPlanAsync(orgId, ct);
        await Send.OkAsync(new MeResponse(MemberView.Of(user), OrganizationView.Of(organization), role,
            new PlanView(plan.Slug, plan.Name, subscription.Status, subscription.CurrentPeriodStart,
                subscription.CurrentPeriodEnd, plan.Limits, plan.Features)), ct);
    }
}
