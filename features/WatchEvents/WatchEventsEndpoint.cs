using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.RateLimiting;
using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.WatchEvents;

/// <summary>
/// Server-sent events with everything that happens in the caller's organization (<c>id</c> = the event's id, <c>event</c> =
/// its type, <c>data</c> = <c>{id,type,at,data}</c>; a job's progress comes without an id, since it is not kept). With
/// Last-Event-ID (or <c>?lastEventId=</c>) the events committed after it are replayed first, in commit order, then the live
/// ones: the subscription is taken before the replay is read, and an event already sent is skipped, so the switch-over
/// neither loses nor repeats one.
/// </summary>
public sealed class WatchEventsEndpoint(IMessageBus bus, EventHub hub, OpenStreams streams) : EndpointWithoutRequest
{
    private const int ReplayPage = 500;

    public override void Configure()
    {
        Get("/events");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("WatchEvents").WithSummary("Server-sent events of the organization, resumable with Last-Event-ID")
            .WithTags("Events").Produces(200, typeof(string), "text/event-stream").ProducesProblem(400).ProducesProblem(410).ProducesProblem(429));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var caller = User.Required();
        var asked = HttpContext.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? Query<string>("lastEventId", isRequired: false);
        Guid? lastEventId = null;
        if (!string.IsNullOrEmpty(asked))
        {
            if (!Guid.TryParse(asked, out var parsed))
            {
                await Send.ResultAsync(Problems.Of(StatusCodes.Status400BadRequest, "invalid_last_event_id", "Last-Event-ID is not an event id."));
                return;
            }
            lastEventId = parsed;
        }
        using var slot = streams.TryOpen(caller.UserId, caller.OrganizationId);
        if (slot is null)
        {
            await Send.ResultAsync(EventStream.TooManyStreams());
            return;
        }
        using var subscription = await hub.SubscribeAsync(caller.OrganizationId, ct);
        var outcome = await bus.InvokeForTenantAsync<Outcome<ResumePoint>>(caller.Tenant, new WatchEvents(caller.OrganizationId, lastEventId), ct);
        if (outcome.Problem is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }

        var stream = await EventStream.OpenAsync(HttpContext.Response, ct);
        var sent = outcome.Value!.After;
        try
        {
            if (lastEventId is not null)
            {
                IReadOnlyList<LiveEvent> page;
                do
                {
                    page = await hub.ReadAfterAsync(caller.OrganizationId, sent, ReplayPage, ct);
                    foreach (var e in page) sent = await SendAsync(stream, e, sent, ct);
                } while (page.Count == ReplayPage);
            }
            while (true)
            {
                if (await subscription.NextAsync(EventStream.KeepAlive, ct) is { } next) sent = await SendAsync(stream, next, sent, ct);
                else if (subscription.Dropped) return; // fell behind: the client resumes from its last id
                else await stream.KeepAliveAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
    }

    /// <summary>Sends the event unless it was sent already; returns the feed position sent up to.</summary>
    private static async Task<long> SendAsync(EventStream stream, LiveEvent e, long sent, CancellationToken ct)
    {
        if (e.Sequence is { } sequence && sequence <= sent) return sent;
        await stream.WriteAsync(e.Id?.ToString(), e.Type, e.Json, ct);
        return e.Sequence ?? sent;
    }
}
