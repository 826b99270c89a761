using BaseAgency.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Events;

/// <summary>A server-sent events response: the one place that writes the wire format for every live stream.</summary>
public sealed class EventStream
{
    /// <summary>Proxies close a stream that says nothing for long; a comment line this often keeps it open.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private readonly HttpResponse _response;

    private EventStream(HttpResponse response) => _response = response;

    /// <summary>The answer when the caller already holds as many streams as allowed (<c>OpenStreams</c>).</summary>
    public static ProblemHttpResult TooManyStreams() => Problems.Of(StatusCodes.Status429TooManyRequests, "too_many_streams",
        "Too many open event streams.", "Close another stream of this user or organization first.");

    /// <summary>Sends the headers at once, so a client waiting for its first event already knows the stream is open.</summary>
    public static async Task<EventStream> OpenAsync(HttpResponse response, CancellationToken ct)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(ct);
        await response.Body.FlushAsync(ct);
        return new EventStream(response);
    }

    /// <summary>One event; without an id the client's Last-Event-ID stays that of the last stored event.</summary>
    public Task WriteAsync(string? id, string type, string json, CancellationToken ct) =>
        SendAsync(id is null ? $"event: {type}\ndata: {json}\n\n" : $"id: {id}\nevent: {type}\ndata: {json}\n\n", ct);

    public Task KeepAliveAsync(CancellationToken ct) => SendAsync(": keep-alive\n\n", ct);

    private async Task SendAsync(string text, CancellationToken ct)
    {
        await _response.WriteAsync(text, ct);
        await _response.Body.FlushAsync(ct);
    }
}
