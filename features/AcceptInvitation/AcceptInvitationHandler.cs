using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.AcceptInvitation;

/// <summary>
/// Creates the invited member's account with the invited role and signs them in. The plan's member limit is
/// checked again, since it may have changed since the invite.
/// </summary>
public static class AcceptInvitationHandler
{
    public static async Task<Outcome<AcceptInvitationResponse>> Handle(AcceptInvitation command, IDocumentSession session, Tokens tokens,
        IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var invitation = await session.LoadAsync<Invitation>(command.InvitationId, ct);
        var organization = await session.LoadAsync<Organization>(command.OrganizationId, ct);
        if (invitation is null || organization is null || !invitation.IsPending(now)) return NotFound();

        var emailTaken = await session.Query<User>().AnyAsync(u => u.AnyTenant() && u.Email == invitation.Email, ct);
        var members = await session.Query<User>().CountAsync(ct);
        var (_, plan) = await session.CurrentPlanAsync(command.OrganizationId, ct);
        if (Refusal(emailTaken, members, plan) is { } problem) return problem;

        var user = new User(Guid.CreateVersion7(), command.OrganizationId, invitation.Email, command.Name.Trim(), invitation.Role,
            Passwords.Hash(command.Password.Value), now, LastLoginAt: now);
        session.Insert(user);
        session.Store(invitation with { AcceptedAt = now, AcceptedUserId = user.Id });
        var pair = tokens.Issue(session, user, command.OrganizationId);
        await OrganizationEvents.RecordAsync(session, bus, command.OrganizationId, EventTypes.MemberJoined, MemberView.Of(user), now);
        return new AcceptInvitationResponse(MemberView.Of(user), OrganizationView.Of(organization), pair);
    }

    /// <summary>Why a pending invitation may not be accepted now, or null when it may.</summary>
    public static ProblemHttpResult? Refusal(bool emailTaken, int members, Plan plan)
    {
        if (emailTaken) return MemberProblems.EmailTaken();
        if (!PlanLimits.Allows(plan.Limits.MaxTeamMembers, members)) return MemberProblems.TeamFull(plan, members);
        return null;
    }

    public static ProblemHttpResult NotFound() =>
        Problems.Of(StatusCodes.Status404NotFound, "invitation_not_found", "The invitation does not exist, was already used or has expired.");
}
