namespace BaseAgency.Features.WatchEvents;

/// <summary>Where a stream of the organization's events starts: after <paramref name="LastEventId"/>, or (null) from now.</summary>
public sealed record WatchEvents(Guid OrganizationId, Guid? LastEventId);

/// <summary>The feed position the stream resumes after (0 when it starts from now: every event it hears is new).</summary>
public sealed record ResumePoint(long After);
