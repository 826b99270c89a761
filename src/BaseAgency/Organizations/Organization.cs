using BaseAgency.Plans;

namespace BaseAgency.Organizations;

/// <summary>Marks a document as belonging to one organization: Marten stores it under that tenant.</summary>
public interface IOrganizationOwned;

/// <summary>A customer agency: the tenant. The document itself is platform-wide.</summary>
public sealed record Organization(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt)
{
    public string TenantId => Tenancy.TenantOf(Id);
}

public enum SubscriptionStatus { Active, Trialing, PastDue, Canceled, Paused }

/// <summary>
/// The organization's plan and current billing period (one per organization, id = organization id).
/// <see cref="PendingPlan"/> is a downgrade that takes effect when the current period ends.
/// </summary>
public sealed record Subscription(
    Guid Id,
    PlanSlug Plan,
    SubscriptionStatus Status,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    PlanSlug? PendingPlan = null) : IOrganizationOwned
{
    public static Subscription StartFree(Guid organizationId, DateTimeOffset now) =>
        new(organizationId, PlanSlug.Free, SubscriptionStatus.Active, now, now.AddMonths(1));
}

/// <summary>Published once an organization exists, so other parts (credits, usage) can set it up.</summary>
public sealed record OrganizationCreated(Guid OrganizationId, Guid AdminUserId, PlanSlug Plan, DateTimeOffset CreatedAt);

public sealed record OrganizationView(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt)
{
    public static OrganizationView Of(Organization o) => new(o.Id, o.Name, o.Slug, o.CreatedAt);
}
