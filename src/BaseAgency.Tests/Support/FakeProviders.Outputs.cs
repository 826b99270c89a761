using System.Collections.Concurrent;
using BaseAgency.Providers.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BaseAgency.Tests.Support;

/// <summary>Output files that misbehave, and a record of every output fetched, for the download checks' tests.</summary>
public sealed partial class FakeProviders
{
    /// <summary>A Replicate prediction whose prompt is a key here answers with this output URL instead of its own file.</summary>
    public ConcurrentDictionary<string, string> OutputUrls { get; } = new();

    /// <summary>The path of every request for an output file (anything under /files).</summary>
    public ConcurrentQueue<string> OutputRequests { get; } = new();

    public const int BigOutputMegabytes = 50;

    private void MapOutputs(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/files")) OutputRequests.Enqueue(http.Request.Path.Value!);
            await next(http);
        });
        // A real PNG's first bytes, then far more than any image may be, with no Content-Length: only counting stops it.
        app.MapGet("/files/big/{name}", async (HttpContext http) =>
        {
            http.Response.ContentType = "image/png";
            var chunk = new byte[1024 * 1024];
            Png.Render("big", 1, 8, 8).CopyTo(chunk, 0);
            try
            {
                for (var i = 0; i < BigOutputMegabytes; i++) await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The reader stopped: what the test expects.
            }
        });
        app.MapGet("/files/html/{name}", () => Results.Text("<html><script>alert(1)</script></html>", "image/png"));
        app.MapGet("/files/redirect/{name}", (string name) => Results.Redirect($"/files/{name}"));
    }
}
