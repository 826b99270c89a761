using System.Diagnostics;
using System.Text.Json;
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
/// Server-sent events with the job's state (<c>event: job</c>, data = the job)
/// whenever its status or progress changes, starting with the current state, until it finishes. Changes
/// on this node arrive at once; changes made on other nodes are picked up by reading the job every second
/// (every five while this node runs it, as a safety net), so thousands of watchers cost few queries.
/// The stream is transport, so it stays here; each read of the job is the handler's.
/// </summary>
public sealed class WatchJobEndpoint(IMessageBus bus, JobUpdates updates, OpenStreams streams, IOptions<JsonOptions> json) : EndpointWithoutRequest
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollWhileRunningHere = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

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
        var tenant = caller.Tenant;
        using var stream = streams.TryOpen(caller.UserId, caller.OrganizationId);
        if (stream is null)
        {
            await Send.ResultAsync(Problems.Of(StatusCodes.Status429TooManyRequests, "too_many_streams", "Too many open event streams.",
                "Close another stream of this user or organization first."));
            return;
        }
        using var watch = updates.WatchJob(jobId); // before the first read, so no change slips between
        var outcome = await bus.InvokeForTenantAsync<Outcome<JobState>>(tenant, new WatchJob(jobId), ct);
        if (outcome.Problem is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        var state = outcome.Value!;

        var response = HttpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        JobView? last = null;
        var lastWrite = Stopwatch.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            var view = state.Job;
            if (last is null || view.Status != last.Status || view.Progress != last.Progress || view.Attempts != last.Attempts)
            {
                await response.WriteAsync(
                    $"id: {view.Status}-{view.Progress}-{view.Attempts}\nevent: job\ndata: {JsonSerializer.Serialize(view, json.Value.SerializerOptions)}\n\n", ct);
                await response.Body.FlushAsync(ct);
                last = view;
                lastWrite = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastWrite) >= KeepAlive)
            {
                await response.WriteAsync(": keep-alive\n\n", ct); // proxies close idle streams
                await response.Body.FlushAsync(ct);
                lastWrite = Stopwatch.GetTimestamp();
            }
            if (state.Finished) return;

            try { await watch.WaitAsync(updates.IsRunningHere(jobId) ? PollWhileRunningHere : Poll, ct); }
            catch (OperationCanceledException) { return; } // the client went away
            state = (await bus.InvokeForTenantAsync<Outcome<JobState>>(tenant, new WatchJob(jobId), ct)).Value ?? state;
        }
    }
}
