using BaseAgency.Http;
using BaseAgency.Storage;

namespace BaseAgency.Features.DownloadFile;

/// <summary>
/// Only local storage serves files itself (with S3 the links point at S3), and only for whoever holds a
/// link we signed, until it expires: the signature is the authorization, so no tenant is involved.
/// </summary>
public static class DownloadFileHandler
{
    public static Outcome<LinkedFile> Handle(DownloadFile command, IFileStore files, TimeProvider clock)
    {
        if (files is not LocalDiskStore local) return Problems.NotFound("The file");
        if (!local.Verify(command.Key, command.Expires, command.Type, command.Sig))
            return Problems.Forbidden("invalid_file_signature", "The link is not valid or has expired.",
                "Ask the API for a fresh link (GET /api/generations/{id}).");
        return new LinkedFile(command.Key, command.Type, MaxAgeSeconds(command.Expires, clock.GetUtcNow()));
    }

    /// <summary>A browser keeps the file no longer than the link lives.</summary>
    public static long MaxAgeSeconds(long expires, DateTimeOffset now) => Math.Max(0, expires - now.ToUnixTimeSeconds());
}
