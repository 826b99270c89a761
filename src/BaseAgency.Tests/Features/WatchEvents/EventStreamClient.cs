using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Alba;

namespace BaseAgency.Tests.Features.WatchEvents;

public sealed record ServerSentEvent(string? Id, string Type, JsonObject Body)
{
    /// <summary>The event's data (for a job event, the job).</summary>
    public JsonObject Data => Body["data"]!.AsObject();

    public bool IsAbout(Guid jobId) => Data["id"]?.GetValue<string>() == jobId.ToString();
}

/// <summary>A client of <c>GET /api/events</c> reading the stream as it comes, the way EventSource does.</summary>
public sealed class EventStreamClient : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamClient(HttpClient client, HttpResponseMessage response, StreamReader reader) =>
        (_client, _response, _reader) = (client, response, reader);

    public HttpResponseMessage Response => _response;

    public static async Task<EventStreamClient> OpenAsync(IAlbaHost host, string token, string? lastEventId = null, string url = "/api/events")
    {
        var client = host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new EventStreamClient(client, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Events until one matches <paramref name="last"/> (included); fails the test if it does not come in time.</summary>
    public async Task<List<ServerSentEvent>> ReadUntilAsync(Func<ServerSentEvent, bool> last, int timeoutSeconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var events = new List<ServerSentEvent>();
        while (true)
        {
            var next = await NextAsync(timeout.Token);
            events.Add(next);
            if (last(next)) return events;
        }
    }

    private async Task<ServerSentEvent> NextAsync(CancellationToken ct)
    {
        string? id = null, type = null, data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(ct) ?? throw new InvalidOperationException("The stream ended.");
            if (line.Length == 0)
            {
                if (data is not null) return new ServerSentEvent(id, type ?? "message", JsonNode.Parse(data)!.AsObject());
                continue;
            }
            if (line.StartsWith(':')) continue;
            if (line.StartsWith("id: ")) id = line[4..];
            else if (line.StartsWith("event: ")) type = line[7..];
            else if (line.StartsWith("data: ")) data = line[6..];
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
        _client.Dispose();
    }
}
