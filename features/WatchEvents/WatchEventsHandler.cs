using BaseAgency.Events;
using BaseAgency.Http;

namespace BaseAgency.Features.WatchEvents;

/// <summary>
/// Finds where a resumed stream left off. An id the feed no longer holds (older than the retention, or never this
/// organization's) is 410 rather than a replay from the oldest event kept: the client cannot tell what it missed, so it
/// reloads its state and opens a fresh stream.
/// </summary>
public static class WatchEventsHandler
{
    public static async Task<Outcome<ResumePoint>> Handle(WatchEvents query, EventHub hub, CancellationToken ct)
    {
        if (query.LastEventId is not { } lastEventId) return new ResumePoint(0);
        return await hub.SequenceOfAsync(query.OrganizationId, lastEventId, ct) is { } after
            ? new ResumePoint(after)
            : Problems.Of(StatusCodes.Status410Gone, "last_event_expired", "The stream cannot resume from this event.",
                "It is older than the events kept, or unknown. Reload the current state and open the stream without Last-Event-ID.");
    }
}
