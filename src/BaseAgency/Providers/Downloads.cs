using BaseAgency.Http;
using Microsoft.Extensions.Options;

namespace BaseAgency.Providers;

/// <summary>Settings of the downloads of provider outputs (section Providers:Downloads; each provider's hosts in Providers:&lt;Name&gt;:DownloadHosts).</summary>
public sealed class DownloadOptions
{
    public const string Section = "Providers:Downloads";

    /// <summary>Plain http (for a local stand-in of a provider); outputs otherwise come over https only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Connects to loopback and private addresses too (for a local stand-in of a provider).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The largest output of each type; reading stops there.</summary>
    public Dictionary<GenerationType, long> MaxBytes { get; set; } = new()
    {
        [GenerationType.Image] = 25L * 1024 * 1024,
        [GenerationType.Video] = 250L * 1024 * 1024,
        [GenerationType.Audio] = 50L * 1024 * 1024,
        [GenerationType.Text] = 1L * 1024 * 1024,
    };

    /// <summary>The whole download, headers and body: a host that trickles its bytes cannot hold a worker longer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The hosts each provider serves its outputs from ("*.example.com" is any subdomain), by provider name.</summary>
    public Dictionary<string, string[]> Hosts { get; set; } = new();

    /// <summary>Where the real providers serve outputs, unless Providers:&lt;Name&gt;:DownloadHosts says otherwise.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DefaultHosts = new Dictionary<string, string[]>
    {
        ["replicate"] = ["replicate.delivery", "*.replicate.delivery"],
        ["openai"] = ["*.oaiusercontent.com"],
        ["freepik"] = ["*.freepik.com", "*.cdnpk.net"],
        ["elevenlabs"] = [],
    };
}

/// <summary>How much of an output may be stored, and whether the organization's storage (not the type's cap) is what sets it.</summary>
public sealed record OutputLimit(long Bytes, bool ByStorage)
{
    public ProviderException Exceeded() => ByStorage
        ? DownloadRules.Refusal("storage_full", "The organization's storage is full: delete generations or move to a plan with more storage.")
        : DownloadRules.Refusal("output_too_large", $"The provider's output is larger than the {Bytes / (1024 * 1024)} MB allowed for its type.");
}

/// <summary>The rules a provider's output must meet before it is stored, as functions of plain values.</summary>
public static class DownloadRules
{
    public static ProviderException Refusal(string code, string message) => new(ProviderFailureKind.Permanent, code, message);

    /// <summary>The smaller of the type's cap and the room left in the organization's storage (null: unlimited).</summary>
    public static OutputLimit LimitOf(long typeCap, long? storageLeft) =>
        storageLeft is { } left && left < typeCap ? new(left, true) : new(typeCap, false);

    /// <summary>Null when the output may be fetched from <paramref name="url"/>; otherwise why not.</summary>
    public static string? UrlProblem(Uri url, IReadOnlyList<string> hosts, bool allowHttp)
    {
        if (url.Scheme != Uri.UriSchemeHttps && !(allowHttp && url.Scheme == Uri.UriSchemeHttp)) return "The output URL is not https.";
        if (url.UserInfo.Length > 0) return "The output URL carries a user name or password.";
        return hosts.Any(h => HostMatches(url.IdnHost, h)) ? null : $"The output's host '{url.IdnHost}' is not one the provider serves outputs from.";
    }

    /// <summary>Exactly the host, or for "*.example.com" any name under example.com (not example.com itself).</summary>
    public static bool HostMatches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);

    /// <summary>Bytes needed to tell the media types apart.</summary>
    public const int HeaderLength = 12;

    /// <summary>True when the first bytes are those of <paramref name="contentType"/>; a type we cannot check is never accepted.</summary>
    public static bool IsOfType(string contentType, ReadOnlySpan<byte> header) => contentType switch
    {
        "image/png" => header.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/jpeg" => header.StartsWith((byte[])[0xFF, 0xD8, 0xFF]),
        "image/webp" => Riff(header, "WEBP"u8),
        "audio/wav" => Riff(header, "WAVE"u8),
        "video/mp4" => header.Length >= 8 && header[4..8].SequenceEqual("ftyp"u8),
        // An ID3 tag, or straight away an MPEG audio frame (11 bits of sync).
        "audio/mpeg" => header.StartsWith("ID3"u8) || (header.Length >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0),
        _ => false,
    };

    private static bool Riff(ReadOnlySpan<byte> header, ReadOnlySpan<byte> form) =>
        header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual(form);
}

/// <summary>
/// Fetches provider outputs for storage. The URL is the provider's answer, so it is treated as untrusted: https only, from the
/// provider's known hosts, connected only to public addresses (<see cref="OutboundNetwork"/>), never redirected, read only up
/// to its limit and only when its first bytes are of the promised type. Each refusal is a permanent <see cref="ProviderException"/>.
/// </summary>
public sealed class ProviderDownloads(IHttpClientFactory http, IOptions<DownloadOptions> options)
{
    public const string ClientName = "provider-downloads";

    public OutputLimit LimitOf(GenerationType type, long? storageLeft) =>
        DownloadRules.LimitOf(options.Value.MaxBytes[type], storageLeft);

    /// <summary>The output's bytes, checked as they are read; the stream throws when they pass <paramref name="limit"/>.</summary>
    public async Task<Stream> OpenAsync(string provider, GeneratedFile file, OutputLimit limit, CancellationToken ct)
    {
        if (file.Content is { } bytes)
            return bytes.Length > limit.Bytes ? throw limit.Exceeded() : new MemoryStream(bytes, writable: false);

        var url = file.DownloadUrl!;
        if (DownloadRules.UrlProblem(url, options.Value.Hosts.GetValueOrDefault(provider, []), options.Value.AllowHttp) is { } problem)
            throw DownloadRules.Refusal("output_refused", problem);
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Value.Timeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await http.CreateClient(ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if ((int)response.StatusCode is >= 300 and < 400)
                throw DownloadRules.Refusal("output_refused", "The provider's output URL redirects elsewhere.");
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > limit.Bytes) throw limit.Exceeded();
            var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var header = new byte[DownloadRules.HeaderLength];
            var read = await body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, deadline.Token);
            if (!DownloadRules.IsOfType(file.ContentType, header.AsSpan(0, read)))
                throw DownloadRules.Refusal("output_type_mismatch", $"The provider's output is not the {file.ContentType} it promised.");
            return new CheckedDownload(header[..read], body, limit, response, deadline, options.Value.Timeout);
        }
        catch (Exception e)
        {
            response?.Dispose();
            deadline.Dispose();
            if (e is HttpRequestException { InnerException: OutboundAddressRefusedException refused })
                throw DownloadRules.Refusal("output_refused", refused.Message);
            if (e is OperationCanceledException && !ct.IsCancellationRequested) throw TimedOut(options.Value.Timeout);
            throw;
        }
    }

    /// <summary>Worth another attempt, like a provider's own timeout.</summary>
    private static ProviderException TimedOut(TimeSpan timeout) =>
        new(ProviderFailureKind.Transient, "output_timeout", $"The provider's output did not arrive within {timeout.TotalSeconds:0} s.");

    /// <summary>The bytes already read, then the rest of the body; throws once more than the limit has come.</summary>
    private sealed class CheckedDownload(byte[] head, Stream body, OutputLimit limit, HttpResponseMessage response, CancellationTokenSource deadline,
        TimeSpan timeout) : Stream
    {
        private int _headRead;
        private long _total;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            int read;
            if (_headRead < head.Length)
            {
                read = Math.Min(buffer.Length, head.Length - _headRead);
                head.AsMemory(_headRead, read).CopyTo(buffer);
                _headRead += read;
            }
            else
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
                try
                {
                    read = await body.ReadAsync(buffer, either.Token);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    throw TimedOut(timeout);
                }
            }
            _total += read;
            return _total > limit.Bytes ? throw limit.Exceeded() : read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _total; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
                deadline.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
