namespace BaseAgency.Organizations;

/// <summary>Marks a document as belonging to one organization: Marten stores it under that tenant.</summary>
public interface IOrganizationOwned;

/// <summary>A customer agency: the tenant. The document itself is platform-wide.</summary>
public sealed record Organization(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt)
{
    public string TenantId => Tenancy.TenantOf(Id);
}

public sealed record OrganizationView(Guid Id, string Name, string Slug, DateTimeOffset CreatedAt)
{
    public static OrganizationView Of(Organization o) => new(o.Id, o.Name, o.Slug, o.CreatedAt);
}
