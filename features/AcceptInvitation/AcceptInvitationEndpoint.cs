using BaseAgency.Secrets;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.AcceptInvitation;

/// <summary>The invited member's account, signed in at once.</summary>
public sealed class AcceptInvitationEndpoint(IMessageBus bus)
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
        // The token names the organization whose tenant the command runs in; one that does not parse names none.
        if (Invitation.ParseToken(req.Token) is not var (organizationId, invitationId)) return AcceptInvitationHandler.NotFound();

        Outcome<AcceptInvitationResponse> outcome;
        try
        {
            outcome = await bus.InvokeForTenantAsync<Outcome<AcceptInvitationResponse>>(Tenancy.TenantOf(organizationId),
                new AcceptInvitation(organizationId, invitationId, req.Name, new Secret(req.Password)), ct);
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            return MemberProblems.EmailTaken();
        }
        return outcome.Problem is { } problem ? problem : TypedResults.Created("/api/me", outcome.Value);
    }
}
