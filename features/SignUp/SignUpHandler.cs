using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Wolverine;

namespace BaseAgency.Features.SignUp;

/// <summary>
/// The organization, its admin, its Free subscription, its first period's credits, the renewal and the
/// admin's first tokens commit in one transaction: a new organization can generate the moment it exists.
/// </summary>
public static class SignUpHandler
{
    public static async Task<Outcome<SignUpResponse>> Handle(SignUp command, IDocumentSession session, IMessageContext bus,
        CreditLedger ledger, Tokens tokens, TimeProvider clock, CancellationToken ct)
    {
        var email = User.Normalize(command.Email);
        // The one cross-organization read: an address belongs to one account platform-wide.
        if (await session.Query<User>().AnyAsync(u => u.AnyTenant() && u.Email == email, ct)) return MemberProblems.EmailTaken();

        var slug = Slugs.From(command.OrganizationName);
        if (await session.Query<Organization>().AnyAsync(o => o.Slug == slug, ct)) slug = Slugs.WithSuffix(slug);
        var free = await session.LoadAsync<Plan>(Plan.IdOf(PlanSlug.Free), ct)
                   ?? throw new InvalidOperationException("The Free plan is not seeded.");

        var opened = NewOrganization.Open(command.OrganizationId, command.OrganizationName, slug, command.Name, email,
            Passwords.Hash(command.Password.Value), clock.GetUtcNow());
        session.Insert(opened.Organization);
        session.Insert(opened.Admin);
        session.Insert(opened.Subscription);
        ledger.Open(session, opened.Organization.Id, opened.Subscription.CurrentPeriodStart, opened.Subscription.CurrentPeriodEnd,
            free.Id, free.CreditsMonthly);
        await bus.ScheduleRenewalAsync(opened.Subscription);
        var pair = tokens.Issue(session, opened.Admin, opened.Organization.Id);

        return new SignUpResponse(MemberView.Of(opened.Admin), OrganizationView.Of(opened.Organization), pair);
    }
}

/// <summary>What a new organization starts with: itself, its first admin and a Free subscription.</summary>
public sealed record NewOrganization(Organization Organization, User Admin, Subscription Subscription)
{
    public static NewOrganization Open(Guid id, string name, string slug, string adminName, string adminEmail, string passwordHash,
        DateTimeOffset now)
    {
        var organization = new Organization(id, name.Trim(), slug, now);
        var admin = new User(Guid.CreateVersion7(), organization.Id, User.Normalize(adminEmail), adminName.Trim(), Role.Admin, passwordHash, now);
        return new(organization, admin, Subscription.StartFree(organization.Id, now));
    }
}
