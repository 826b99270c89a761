using BaseAgency.Identity;
using Marten;

namespace BaseAgency.Features.ListMembers;

public static class ListMembersHandler
{
    /// <summary>
    /// Unpaged and oldest first, as it always answered: a team is bounded by its plan's member limit, so the
    /// newest-first keyset paging of the other lists is not needed here. Nothing to refuse, so no Outcome.
    /// </summary>
    public static async Task<MembersResponse> Handle(ListMembers query, IQuerySession session, CancellationToken ct)
    {
        // The session is the caller's organization's: other organizations' users are not in it.
        var users = await session.Query<User>().OrderBy(u => u.CreatedAt).ToListAsync(ct);
        return new MembersResponse(users.Select(MemberView.Of).ToList());
    }
}
