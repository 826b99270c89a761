using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;

namespace BaseAgency.Providers;

/// <summary>Configuration of one external provider ("Providers:OpenAI", "Providers:Replicate", ...).</summary>
public sealed class ExternalProviderOptions
{
    /// <summary>The platform's key, used when an organization has none of its own.</summary>
    public string? ApiKey { get; set; }
    public string? BaseUrl { get; set; }

    /// <summary>Longest wait for one generation (asynchronous providers are polled until then).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First delay of the HTTP retries (429/5xx, honouring Retry-After); doubles each time.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The circuit opens when half of at least this many calls in a minute failed, for <see cref="BreakDuration"/>.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>How providers' HTTP answers become our transient or permanent failures.</summary>
public static class ProviderHttp
{
    private static readonly string[] PolicyWords = ["content_policy", "content policy", "safety", "nsfw", "moderation"];

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string provider, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await SafeBodyAsync(response, ct);
        throw FromStatus(provider, (int)response.StatusCode, body, RetryAfter(response.Headers), RequestId(response.Headers));
    }

    public static ProviderException FromStatus(string provider, int status, string? body, TimeSpan? retryAfter, string? requestId)
    {
        var policy = body is not null && PolicyWords.Any(w => body.Contains(w, StringComparison.OrdinalIgnoreCase));
        return status switch
        {
            401 or 403 => new(ProviderFailureKind.Permanent, "provider_auth_failed", $"{provider} rejected the API key.", null, requestId),
            400 or 422 when policy => new(ProviderFailureKind.Permanent, "content_policy", $"{provider} refused the prompt under its content policy.", null, requestId),
            400 or 404 or 413 or 422 => new(ProviderFailureKind.Permanent, "invalid_request", $"{provider} did not accept the request ({status}).", null, requestId),
            429 => new(ProviderFailureKind.Transient, "provider_rate_limited", $"{provider} is rate limiting us.", retryAfter, requestId),
            >= 500 => new(ProviderFailureKind.Transient, "provider_unavailable", $"{provider} answered {status}.", retryAfter, requestId),
            _ => new(ProviderFailureKind.Transient, "provider_error", $"{provider} answered {status}.", retryAfter, requestId),
        };
    }

    /// <summary>Network failures, timeouts and an open circuit are worth another attempt later.</summary>
    public static ProviderException? FromTransport(string provider, Exception e, CancellationToken ct) => e switch
    {
        BrokenCircuitException => new(ProviderFailureKind.Transient, "provider_circuit_open", $"{provider} is failing; calls are paused for a while.", inner: e),
        HttpRequestException => new(ProviderFailureKind.Transient, "provider_unreachable", $"{provider} could not be reached.", inner: e),
        TimeoutException or Polly.Timeout.TimeoutRejectedException => new(ProviderFailureKind.Transient, "provider_timeout", $"{provider} took too long to answer.", inner: e),
        TaskCanceledException when !ct.IsCancellationRequested => new(ProviderFailureKind.Transient, "provider_timeout", $"{provider} took too long to answer.", inner: e),
        _ => null,
    };

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response, string provider, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?.AsObject()
                   ?? throw new JsonException("empty body");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", $"{provider} sent an answer we could not read.",
                providerRequestId: RequestId(response.Headers), inner: e);
        }
    }

    public static TimeSpan? RetryAfter(HttpResponseHeaders headers) =>
        headers.RetryAfter?.Delta ?? (headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    public static string? RequestId(HttpResponseHeaders headers) =>
        new[] { "x-request-id", "request-id", "x-amzn-requestid" }.Select(h => headers.TryGetValues(h, out var v) ? v.FirstOrDefault() : null)
            .FirstOrDefault(v => v is not null);

    private static async Task<string?> SafeBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            return body.Length > 2000 ? body[..2000] : body;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static readonly Dictionary<string, string> ContentTypes = new()
    {
        ["png"] = "image/png", ["jpg"] = "image/jpeg", ["jpeg"] = "image/jpeg", ["webp"] = "image/webp",
        ["mp4"] = "video/mp4", ["mp3"] = "audio/mpeg", ["wav"] = "audio/wav",
    };

    /// <summary>Content type and extension from a URL's file name, or the fallback extension when it has none we know.</summary>
    public static (string ContentType, string Extension) TypeOf(string url, string fallbackExtension)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        var extension = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        if (!ContentTypes.ContainsKey(extension)) extension = fallbackExtension;
        return (ContentTypes.GetValueOrDefault(extension, "application/octet-stream"), extension);
    }
}
