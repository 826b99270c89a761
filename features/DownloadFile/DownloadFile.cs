using FastEndpoints;

namespace BaseAgency.Features.DownloadFile;

public sealed class DownloadFileRequest
{
    [QueryParam] public long Expires { get; init; }
    [QueryParam] public string Type { get; init; } = "";
    [QueryParam] public string Sig { get; init; } = "";
}

public sealed record DownloadFile(string Key, long Expires, string Type, string Sig);

/// <summary>The file a valid link names, and how long a browser may keep it.</summary>
public sealed record LinkedFile(string Key, string ContentType, long MaxAgeSeconds);
