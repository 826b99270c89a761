using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Platform;
using Marten;

namespace BaseAgency.Features.ListAuditLogs;

public static class ListAuditLogsHandler
{
    /// <summary>Whose entries the caller reads: an admin only their organization's; an operator any one, or all (null).</summary>
    public static bool MayRead(SignedIn caller, Guid? requested, out Guid? organization)
    {
        organization = caller.Role == Role.SuperAdmin ? requested : caller.OrganizationId;
        return caller.Role == Role.SuperAdmin || requested is null || requested == caller.OrganizationId;
    }

    public static async Task<Outcome<AuditLogPage>> Handle(ListAuditLogs query, IQuerySession session, CancellationToken ct)
    {
        if (!MayRead(query.Caller, query.OrganizationId, out var scope))
            return Problems.Forbidden("other_organization", "Only platform operators read another organization's audit log.");

        var entries = session.Query<AuditEntry>().AsQueryable();
        if (scope is { } organization) entries = entries.Where(a => a.OrganizationId == organization);
        if (query.UserId is { } user) entries = entries.Where(a => a.ActorId == user);
        if (query.Action is { } action) entries = entries.Where(a => a.Action == action);
        if (query.ResourceType is { } type) entries = entries.Where(a => a.ResourceType == type);
        if (query.ResourceId is { } id) entries = entries.Where(a => a.ResourceId == id);
        if (query.From is { } from) entries = entries.Where(a => a.At >= from);
        if (query.To is { } to) entries = entries.Where(a => a.At < to);
        var page = await entries.NewestFirstAsync(query.Cursor, query.Limit, a => a.Id, a => a, ct);
        return new AuditLogPage(page.Items, page.NextCursor);
    }
}
