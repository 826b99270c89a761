using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.RemoveMember;

/// <summary>A member out of the caller's organization.</summary>
public sealed class RemoveMemberEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/organization/members/{userId:guid}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("RemoveMember").WithSummary("Remove a member from the organization").WithTags("Organization")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<MemberRemoved>>(caller.Tenant,
            new RemoveMember(caller.OrganizationId, Route<Guid>("userId"), caller.Role, caller.UserId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.NoContent();
    }
}
