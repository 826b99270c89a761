using BaseAgency.Platform;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Plans;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.InviteMember;

/// <summary>
/// Members plus pending invitations may not exceed the plan's max_team_members. Inviting an address again
/// replaces its earlier invitation.
/// </summary>
public static class InviteMemberHandler
{
    public static async Task<Outcome<InvitationResponse>> Handle(InviteMember command, IDocumentSession session, TimeProvider clock,
        IOptions<AuthOptions> auth, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var email = User.Normalize(command.Email);

        var emailTaken = await session.Query<User>().AnyAsync(u => u.AnyTenant() && u.Email == email, ct);
        // An earlier invitation of this address is about to be replaced, so it does not count.
        var pending = await session.Query<Invitation>()
            .Where(i => i.AcceptedAt == null && i.ExpiresAt > now && i.Email != email).CountAsync(ct);
        var members = await session.Query<User>().CountAsync(ct);
        var (_, plan) = await session.CurrentPlanAsync(command.OrganizationId, ct);
        if (Refusal(emailTaken, members + pending, plan) is { } problem) return problem;

        session.DeleteWhere<Invitation>(i => i.Email == email && i.AcceptedAt == null);
        var (token, id) = Invitation.NewToken(command.OrganizationId);
        var invitation = new Invitation(id, email, command.Role, command.InviterId, now, now + auth.Value.InvitationLifetime);
        session.Insert(invitation);
        session.Insert(AuditEntry.Changed(command.InviterId, command.OrganizationId, "member.invited", "invitations", id.ToString(), now,
            ("email", null, email), ("role", null, Json.NameOf(invitation.Role))));
        return new InvitationResponse(id, email, invitation.Role, invitation.ExpiresAt, token);
    }

    /// <summary>Why the invitation may not be made, or null when it may; <paramref name="seats"/> counts members and other pending invitations.</summary>
    public static ProblemHttpResult? Refusal(bool emailTaken, int seats, Plan plan)
    {
        if (emailTaken) return MemberProblems.EmailTaken();
        if (!PlanLimits.Allows(plan.Limits.MaxTeamMembers, seats)) return MemberProblems.TeamFull(plan, seats, ", counting pending invitations");
        return null;
    }
}
