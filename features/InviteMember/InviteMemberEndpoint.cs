using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.InviteMember;

/// <summary>An invitation token for someone to join the caller's organization.</summary>
public sealed class InviteMemberEndpoint(IMessageBus bus) : Endpoint<InviteMemberRequest, Results<Created<InvitationResponse>, ProblemHttpResult>>
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
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<InvitationResponse>>(caller.Tenant,
            new InviteMember(caller.OrganizationId, caller.UserId, req.Email, req.Role), ct);
        return outcome.Problem is { } problem
            ? problem
            : TypedResults.Created($"/api/organization/invitations/{outcome.Value!.Id}", outcome.Value);
    }
}
