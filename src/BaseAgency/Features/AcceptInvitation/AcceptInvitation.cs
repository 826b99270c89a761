using BaseAgency.Hosting;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.AcceptInvitation;

public sealed record AcceptInvitationRequest(string Token, string Name, string Password);

public sealed record AcceptInvitationResponse(MemberView User, OrganizationView Organization, TokenPair Tokens);

public sealed class AcceptInvitationValidator : Validator<AcceptInvitationRequest>
{
    public AcceptInvitationValidator()
    {
        RuleFor(x => x.Token).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Password).NotEmpty().MinimumLength(Passwords.MinimumLength).MaximumLength(128);
    }
}

/// <summary>
/// POST /api/auth/accept-invitation: creates the invited member's account with the invited role and
/// signs them in. The plan's member limit is checked again, since it may have changed since the invite.
/// </summary>
public sealed class AcceptInvitationEndpoint(IDocumentStore store, Tokens tokens, TimeProvider clock)
    : Endpoint<AcceptInvitationRequest, Results<Created<AcceptInvitationResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/auth/accept-invitation");
        AllowAnonymous();
        Description(d => d.WithName("AcceptInvitation").WithSummary("Join an organization with an invitation token").WithTags("Identity")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Created<AcceptInvitationResponse>, ProblemHttpResult>> ExecuteAsync(AcceptInvitationRequest req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (Invitation.ParseToken(req.Token) is not var (orgId, invitationId)) return NotFound();

        await using var session = store.SessionFor(orgId);
        var invitation = await session.LoadAsync<Invitation>(invitationId, ct);
        var organization = await session.LoadAsync<Organization>(orgId, ct);
        if (invitation is null || organization is null || !invitation.IsPending(now)) return NotFound();

        if (await session.Query<User>().AnyAsync(u => u.AnyTenant() && u.Email == invitation.Email, ct))
            return EmailTaken();

        var members = await session.Query<User>().CountAsync(ct);
        var (_, plan) = await session.CurrentPlanAsync(orgId, ct);
        if (!PlanLimits.Allows(plan.Limits.MaxTeamMembers, members))
            return Problems.Forbidden("team_member_limit_reached", "The plan's team member limit is reached.",
                $"The {plan.Name} plan allows {plan.Limits.MaxTeamMembers} member(s).",
                ("limit", plan.Limits.MaxTeamMembers), ("current", members));

        var user = new User(Guid.CreateVersion7(), orgId, invitation.Email, req.Name.Trim(), invitation.Role,
            Passwords.Hash(req.Password), now, LastLoginAt: now);
        session.Insert(user);
        session.Store(invitation with { AcceptedAt = now, AcceptedUserId = user.Id });
        var pair = tokens.Issue(session, user, orgId);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            return EmailTaken();
        }

        return TypedResults.Created("/api/me", new AcceptInvitationResponse(MemberView.Of(user), OrganizationView.Of(organization), pair));
    }

    private static ProblemHttpResult NotFound() =>
        Problems.Of(404, "invitation_not_found", "The invitation does not exist, was already used or has expired.");

    private static ProblemHttpResult EmailTaken() =>
        Problems.Conflict("email_taken", "An account with this e-mail address already exists.");
}
