namespace BaseAgency.Platform;

/// <summary>
/// One line of the audit log, append-only (only retention deletes). Platform-wide (not tenant-scoped): operators act
/// across organizations, and a failed sign-in has no organization. Two kinds share the table:
/// <see cref="AuditKind.Request"/>, written by <see cref="AuditTrail"/> for every state-changing request (who, what,
/// from where, with which answer), and <see cref="AuditKind.Change"/>, written by a handler in its own transaction
/// with the domain details (what changed, old and new values). Never a body, a token, a password or a key.
/// </summary>
public sealed record AuditEntry(Guid Id, Guid? ActorId, string Action, Guid? OrganizationId, string Details, DateTimeOffset At)
{
    public AuditKind Kind { get; init; } = AuditKind.Change;
    public Guid? ApiKeyId { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    /// <summary>Field name → old and new value, where the entry is a change.</summary>
    public IReadOnlyDictionary<string, AuditChange>? Changes { get; init; }
    public string? Method { get; init; }
    /// <summary>The route template, never the raw path with its query string.</summary>
    public string? Route { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? RequestId { get; init; }
    public AuditOutcome? Outcome { get; init; }
    public int? Status { get; init; }
    /// <summary>The problem's <c>code</c> when the request was refused (e.g. <c>login_locked</c>, <c>refresh_token_reused</c>).</summary>
    public string? Code { get; init; }

    /// <summary>A change entry: what a handler changed, old and new values, written in the change's own transaction.</summary>
    public static AuditEntry Changed(Guid? actorId, Guid organizationId, string action, string resourceType, string resourceId, DateTimeOffset at,
        params (string Field, string? Old, string? New)[] changes) =>
        new(Guid.CreateVersion7(at), actorId, action, organizationId,
            string.Join("; ", changes.Select(c => $"{c.Field}: {c.Old ?? "none"} → {c.New ?? "none"}")), at)
        {
            ResourceType = resourceType,
            ResourceId = resourceId,
            Changes = changes.ToDictionary(c => c.Field, c => new AuditChange(c.Old, c.New)),
        };
}

public enum AuditKind { Change, Request }

public enum AuditOutcome { Succeeded, Refused, Failed }

public sealed record AuditChange(string? Old, string? New);
