using System.Diagnostics;
using System.Text;
using BaseAgency.Http;
using Microsoft.Extensions.Options;

namespace BaseAgency.Webhooks;

/// <summary>What one POST came to: the receiver's status (none when nothing was sent or nothing came back), time taken, a short excerpt.</summary>
public sealed record WebhookResponse(int? HttpStatus, long DurationMs, string? Excerpt, string? Error)
{
    public bool Delivered => HttpStatus is >= 200 and < 300;
}

/// <summary>POSTs a signed event through the SSRF-safe client; never throws for what a receiver or the network does.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, IHostEnvironment env)
{
    public const string ClientName = "webhooks";

    public bool RequireHttps => options.Value.RequireHttps ?? !env.IsDevelopment();

    public async Task<WebhookResponse> PostAsync(string url, string id, long timestamp, string signature, string body, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        if (WebhookNetwork.UrlProblem(url, RequireHttps) is { } problem) return new WebhookResponse(null, 0, null, problem);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSigning.IdHeader, id);
        request.Headers.Add(WebhookSigning.TimestampHeader, timestamp.ToString());
        request.Headers.Add(WebhookSigning.SignatureHeader, signature);
        // The whole exchange, body included: a receiver trickling its answer byte by byte is cut off like one that never answers.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, options.Value.ResponseExcerptBytes, timeout.Token);
            return new WebhookResponse((int)response.StatusCode, watch.ElapsedMilliseconds, excerpt, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var refused = e.InnerException as OutboundAddressRefusedException ?? e as OutboundAddressRefusedException;
            var error = refused?.Message ?? (e is OperationCanceledException ? $"No complete answer within {options.Value.Timeout.TotalSeconds:0} s." : e.Message);
            return new WebhookResponse(null, watch.ElapsedMilliseconds, null, error);
        }
    }

    /// <summary>Reads no more than the cap, however much the receiver sends.</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, int cap, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[cap];
        var read = 0;
        while (read < cap && await stream.ReadAsync(buffer.AsMemory(read, cap - read), ct) is var n and > 0) read += n;
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }
}
