using BaseAgency.Identity;
using BaseAgency.Platform;
using FastEndpoints;

namespace BaseAgency.Features.ListAuditLogs;

public sealed class ListAuditLogsRequest
{
    /// <summary>Another organization's log, or every organization's when left out (platform operators only).</summary>
    [QueryParam] public Guid? OrganizationId { get; init; }
    /// <summary>The member who acted.</summary>
    [QueryParam] public Guid? UserId { get; init; }
    /// <summary>e.g. <c>invite_member</c>, <c>login</c>, <c>credits.adjusted</c>.</summary>
    [QueryParam] public string? Action { get; init; }
    [QueryParam] public string? ResourceType { get; init; }
    [QueryParam] public string? ResourceId { get; init; }
    /// <summary>Entries at or after this instant.</summary>
    [QueryParam] public DateTimeOffset? From { get; init; }
    /// <summary>Entries before this instant.</summary>
    [QueryParam] public DateTimeOffset? To { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 50;
}

/// <summary><paramref name="OrganizationId"/> null: the caller's organization, or every organization for an operator.</summary>
public sealed record ListAuditLogs(SignedIn Caller, Guid? OrganizationId, Guid? UserId, string? Action, string? ResourceType, string? ResourceId,
    DateTimeOffset? From, DateTimeOffset? To, Guid? Cursor, int Limit);

public sealed record AuditLogPage(IReadOnlyList<AuditEntry> Items, Guid? NextCursor);
