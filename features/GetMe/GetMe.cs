using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;

namespace BaseAgency.Features.GetMe;

public sealed record GetMe(Guid UserId, Guid OrganizationId, Role Role);

public sealed record MeResponse(MemberView User, OrganizationView Organization, Role Role, PlanView Plan);

public sealed record PlanView(PlanSlug Slug, string Name, SubscriptionStatus Status, DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd, PlanLimits Limits, PlanFeatures Features);
