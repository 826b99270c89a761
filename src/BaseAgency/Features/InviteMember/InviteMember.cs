using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Plans;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.InviteMember;

public sealed record InviteMemberRequest(string Email, Role Role = Role.Member);

/// <summary>The token is what would be e-mailed; it is shown once and stored only as a hash.</summary>
public sealed record InvitationResponse(string Id, string Email, Role Role, DateTimeOffset ExpiresAt, string Token);

public sealed class InviteMemberValidator : Validator<InviteMemberRequest>
{
    public InviteMemberValidator()
    {
        RuleFor(x => x.Email).NotEmpty().EmailAddress().MaximumLength(254);
        RuleFor(x => x.Role).IsInEnum().NotEqual(Role.SuperAdmin).WithMessage("super_admin cannot be given by invitation.");
    }
}

/// <summary>
/// POST /api/organization/invitations (admin). Members plus pending invitations may not exceed the plan's
/// max_team_members. Inviting an address again replaces its earlier invitation.
/// </summary>
public sealed class InviteMemberEndpoint(IDocumentSession session, TimeProvider clock, IOptions<AuthOptions> auth)
    : Endpoint<InviteMemberRequest, Results<Created<InvitationResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/organization/invitations");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("InviteMember").WithSummary("Invite someone to the organization").WithTags("Organization")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(409));
    }

    public override async Task<Results<Created<InvitationResponse>, ProblemHttpResult>> ExecuteAsync(InviteMemberRequest req, CancellationToken ct)
    {
        var (inviter, orgId, _) = User.Required();
        var now = clock.GetUtcNow();
        var email = Identity.User.Normalize(req.Email);

        if (await session.Query<Identity.User>().AnyAsync(u => u.AnyTenant() && u.Email == email, ct))
            return Problems.Conflict("email_taken", "An account with this e-mail address already exists.");

        var pending = (await session.Query<Invitation>().Where(i => i.AcceptedAt == null && i.ExpiresAt > now).ToListAsync(ct))
            .Where(i => i.Email != email).ToList();
        var members = await session.Query<Identity.User>().CountAsync(ct);
        var (_, plan) = await session.CurrentPlanAsync(orgId, ct);
        if (!PlanLimits.Allows(plan.Limits.MaxTeamMembers, members + pending.Count))
            return Problems.Forbidden("team_member_limit_reached", "The plan's team member limit is reached.",
                $"The {plan.Name} plan allows {plan.Limits.MaxTeamMembers} member(s), counting pending invitations.",
                ("limit", plan.Limits.MaxTeamMembers), ("current", members + pending.Count));

        session.DeleteWhere<Invitation>(i => i.Email == email && i.AcceptedAt == null);
        var (token, id) = Invitation.NewToken(orgId);
        var invitation = new Invitation(id, email, req.Role, inviter, now, now + auth.Value.InvitationLifetime);
        session.Insert(invitation);
        await session.SaveChangesAsync(ct);

        return TypedResults.Created($"/api/organization/invitations/{id}",
            new InvitationResponse(id, email, invitation.Role, invitation.ExpiresAt, token));
    }
}
