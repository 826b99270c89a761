using BaseAgency.Identity;
using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.ListMembers;

/// <summary>Everyone in the caller's organization, oldest first.</summary>
public sealed class ListMembersEndpoint(IMessageBus bus) : EndpointWithoutRequest<MembersResponse>
{
    public override void Configure()
    {
        Get("/organization/members");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListMembers").WithSummary("Members of the organization").WithTags("Organization"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var caller = User.Required();
        await Send.OkAsync(await bus.InvokeForTenantAsync<MembersResponse>(caller.Tenant, new ListMembers(caller.OrganizationId), ct), ct);
    }
}
