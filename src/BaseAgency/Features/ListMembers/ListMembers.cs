using BaseAgency.Identity;
using FastEndpoints;
using Marten;

namespace BaseAgency.Features.ListMembers;

public sealed record MembersResponse(IReadOnlyList<MemberView> Items);

/// <summary>GET /api/organization/members: everyone in the caller's organization, oldest first.</summary>
public sealed class ListMembersEndpoint(IQuerySession session) : EndpointWithoutRequest<MembersResponse>
{
    public override void Configure()
    {
        Get("/organization/members");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListMembers").WithSummary("Members of the organization").WithTags("Organization"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        // The session is the caller's organization's: other organizations' users are not in it.
        var users = await session.Query<Identity.User>().OrderBy(u => u.CreatedAt).ToListAsync(ct);
        await Send.OkAsync(new MembersResponse(users.Select(MemberView.Of).ToList()), ct);
    }
}
