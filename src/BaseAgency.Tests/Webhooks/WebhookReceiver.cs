using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BaseAgency.Tests.Webhooks;

/// <summary>
/// A customer's webhook receiver: a real Kestrel server on 127.0.0.1 that records every request and answers each path with the
/// statuses a test scripts (then 200).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? Location)>> _answers = new();
    private readonly ConcurrentDictionary<string, bool> _stalling = new();
    private int _connections;
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>TCP connections accepted, whatever came over them (a TLS hello to this http server included).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new Received(http.Request.Path, http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
            if (_stalling.ContainsKey(http.Request.Path))
            {
                // Headers and one byte at once, then nothing: a receiver that never finishes its answer.
                await http.Response.WriteAsync("o", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                await Task.Delay(TimeSpan.FromMinutes(1), http.RequestAborted).ContinueWith(_ => { });
                return;
            }
            var (status, location) = _answers.TryGetValue(http.Request.Path, out var queue) && queue.TryDequeue(out var next) ? next : (200, null);
            http.Response.StatusCode = status;
            if (location is not null) http.Response.Headers.Location = location;
            await http.Response.WriteAsync(status == 200 ? "ok" : $"answered {status}");
        });
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        WebhookReceiver? receiver = null;
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref receiver!._connections);
            return next(connection);
        })));
        receiver = new WebhookReceiver(builder.Build());
        await receiver._app.StartAsync();
        return receiver;
    }

    public string Url(string path) =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + path;

    /// <summary>The next requests to <paramref name="path"/> are answered with these statuses, in order.</summary>
    public void Answer(string path, params int[] statuses)
    {
        var queue = _answers.GetOrAdd(path, _ => new());
        foreach (var status in statuses) queue.Enqueue((status, null));
    }

    public void Stall(string path) => _stalling[path] = true;

    public void Redirect(string path, string location) => _answers.GetOrAdd(path, _ => new()).Enqueue((307, location));

    public IReadOnlyList<Received> To(string path) => Requests.Where(r => r.Path == path).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
