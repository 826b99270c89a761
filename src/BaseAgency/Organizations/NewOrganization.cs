using BaseAgency.Identity;
using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Organizations;

/// <summary>What a new organization starts with: itself, its first admin and a Free subscription.</summary>
public sealed record NewOrganization(Organization Organization, User Admin, Subscription Subscription, OrganizationCreated Created)
{
    public static NewOrganization Open(string name, string slug, string adminName, string adminEmail, string passwordHash, DateTimeOffset now)
    {
        var organization = new Organization(Guid.CreateVersion7(), name.Trim(), slug, now);
        var admin = new User(Guid.CreateVersion7(), organization.Id, User.Normalize(adminEmail), adminName.Trim(), Role.Admin, passwordHash, now);
        var subscription = Subscription.StartFree(organization.Id, now);
        return new(organization, admin, subscription,
            new OrganizationCreated(organization.Id, admin.Id, subscription.Plan, now));
    }

    /// <summary>
    /// Stages the documents and opens the credit ledger's stream; the session must be opened for this
    /// organization's tenant. With the stream there from the start, every later ledger operation can lock it.
    /// </summary>
    public void StageIn(IDocumentSession session)
    {
        session.Insert(Organization);
        session.Insert(Admin);
        session.Insert(Subscription);
        session.Events.StartStream<CreditAccount>(Organization.Id, new CreditAccountOpened(Organization.Id, Organization.CreatedAt));
    }
}
