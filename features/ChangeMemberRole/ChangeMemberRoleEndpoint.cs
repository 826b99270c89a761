using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ChangeMemberRole;

/// <summary>Another role for a member of the caller's organization.</summary>
public sealed class ChangeMemberRoleEndpoint(IMessageBus bus) : Endpoint<ChangeMemberRoleRequest, Results<Ok<MemberView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/organization/members/{userId:guid}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ChangeMemberRole").WithSummary("Change a member's role").WithTags("Organization")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<Ok<MemberView>, ProblemHttpResult>> ExecuteAsync(ChangeMemberRoleRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<MemberView>>(caller.Tenant,
            new ChangeMemberRole(caller.OrganizationId, Route<Guid>("userId"), req.Role, caller.Role, caller.UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
