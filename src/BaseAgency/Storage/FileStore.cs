namespace BaseAgency.Storage;

public sealed record StoredFile(string Key, long SizeBytes, string ContentType, string Sha256);

/// <summary>
/// Where generated files live. Keys start with the organization id ("{org:N}/..."). Files are never
/// public: clients get short-lived signed URLs or download through an authenticated endpoint.
/// </summary>
public interface IFileStore
{
    Task<StoredFile> SaveAsync(string key, Stream content, string contentType, CancellationToken ct);

    /// <summary>The file's bytes, or null when there is no such file.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken ct);

    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>A URL that serves the file until <paramref name="expiresAt"/> to whoever holds it.</summary>
    Uri SignedUrl(string key, string contentType, DateTimeOffset expiresAt);
}
