using System.Text.Json;
using System.Text.Json.Nodes;
using BaseAgency.Events;
using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.RateLimiting;
using FastEndpoints;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.WatchJob;

/// <summary>
/// Server-sent events with the job's state (<c>event: job</c>, data = the job) whenever its status or progress changes,
/// starting with the current state, until it finishes. The job is read once; its changes then come from the node's
/// <see cref="EventHub"/> (the organization's events about this job), so a watcher costs no database reads however long
/// it waits. The stream is transport, so it stays here; the read of the job is the handler's.
/// </summary>
public sealed class WatchJobEndpoint(IMessageBus bus, EventHub hub, OpenStreams streams, IOptions<JsonOptions> json) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/jobs/{jobId:guid}/events");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("WatchJob").WithSummary("Server-sent events for a job until it finishes").WithTags("Jobs")
            .Produces(200, typeof(JobView), "text/event-stream").ProducesProblem(404).ProducesProblem(429));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var jobId = Route<Guid>("jobId");
        var caller = User.Required();
        using var slot = streams.TryOpen(caller.UserId, caller.OrganizationId);
        if (slot is null)
        {
            await Send.ResultAsync(EventStream.TooManyStreams());
            return;
        }
        using var subscription = await hub.SubscribeAsync(caller.OrganizationId, ct); // before the read, so no change slips between
        var outcome = await bus.InvokeForTenantAsync<Outcome<JobState>>(caller.Tenant, new WatchJob(jobId), ct);
        if (outcome.Problem is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }

        var stream = await EventStream.OpenAsync(HttpContext.Response, ct);
        var job = JsonSerializer.SerializeToNode(outcome.Value!.Job, json.Value.SerializerOptions)!.AsObject();
        await SendAsync(stream, job, ct);
        if (outcome.Value.Finished) return;
        try
        {
            while (true)
            {
                var next = await subscription.NextAsync(EventStream.KeepAlive, ct);
                if (next is null)
                {
                    if (subscription.Dropped) return;
                    await stream.KeepAliveAsync(ct);
                    continue;
                }
                if (JobChanges.Apply(job, jobId, next) is not { } changed) continue;
                if (!JobChanges.SameStep(job, changed)) await SendAsync(stream, changed, ct);
                job = changed;
                if (JobChanges.IsFinal(next.Type)) return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
    }

    private static Task SendAsync(EventStream stream, JsonObject job, CancellationToken ct) =>
        stream.WriteAsync($"{job["status"]}-{job["progress"]}-{job["attempts"]}", "job", job.ToJsonString(), ct);
}
