namespace BaseAgency.Platform;

/// <summary>What a platform operator did, to whom, and why. Platform-wide (not tenant-scoped): operators act across organizations.</summary>
public sealed record AuditEntry(Guid Id, Guid ActorId, string Action, Guid? OrganizationId, string Details, DateTimeOffset At);
