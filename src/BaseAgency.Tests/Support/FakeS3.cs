using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BaseAgency.Tests.Support;

/// <summary>
/// A local stand-in for the S3 object API the store uses, path-style (/{bucket}/{key}): PUT, GET, DELETE with
/// SigV4 authorization headers, aws-chunked uploads, and S3's XML NoSuchKey error.
/// </summary>
public sealed class FakeS3 : IAsyncDisposable
{
    public const string AccessKey = "AKIAFAKEFAKEFAKE";
    public const string SecretKey = "fake-secret-key";
    public const string Bucket = "generations";

    private readonly WebApplication _app;
    public ConcurrentDictionary<string, (byte[] Body, string ContentType)> Objects { get; } = new();
    public string BaseUrl { get; private set; } = "";

    public FakeS3()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        BaseUrl = ((IServer)_app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/") || !authorization.Contains("Signature="))
        {
            await ErrorAsync(http, 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
            return;
        }
        var path = Uri.UnescapeDataString(http.Request.Path.Value!.TrimStart('/'));
        if (!path.StartsWith(Bucket + "/"))
        {
            await ErrorAsync(http, 404, "NoSuchBucket", "The specified bucket does not exist.");
            return;
        }
        var key = path[(Bucket.Length + 1)..];
        switch (http.Request.Method)
        {
            case "PUT":
                using (var buffer = new MemoryStream())
                {
                    await http.Request.Body.CopyToAsync(buffer);
                    var body = buffer.ToArray();
                    var streaming = http.Request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-") ||
                                    http.Request.Headers.ContentEncoding.ToString().Contains("aws-chunked");
                    Objects[key] = (streaming ? Unchunk(body) : body, http.Request.ContentType ?? "application/octet-stream");
                }
                http.Response.Headers.ETag = $"\"{Guid.NewGuid():N}\"";
                return;
            case "GET" when Objects.TryGetValue(key, out var stored):
                http.Response.ContentType = stored.ContentType;
                await http.Response.Body.WriteAsync(stored.Body);
                return;
            case "GET" or "HEAD":
                await ErrorAsync(http, 404, "NoSuchKey", "The specified key does not exist.");
                return;
            case "DELETE":
                Objects.TryRemove(key, out _);
                http.Response.StatusCode = 204;
                return;
        }
        http.Response.StatusCode = 405;
    }

    /// <summary>aws-chunked: "&lt;hex size&gt;[;chunk-signature=…]\r\n&lt;bytes&gt;\r\n" … "0\r\n" then trailers.</summary>
    private static byte[] Unchunk(byte[] body)
    {
        var output = new MemoryStream();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = IndexOf(body, at);
            var header = Encoding.ASCII.GetString(body, at, lineEnd - at);
            var size = Convert.ToInt32(header.Split(';')[0], 16);
            if (size == 0) break;
            output.Write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return output.ToArray();
    }

    private static int IndexOf(byte[] body, int from)
    {
        for (var i = from; i < body.Length - 1; i++)
            if (body[i] == '\r' && body[i + 1] == '\n') return i;
        return body.Length;
    }

    private static async Task ErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/xml";
        await http.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fake</RequestId></Error>");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
