using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace BaseAgency.Storage;

/// <summary>
/// Files on the local disk. Written to a temporary name and renamed into place, so a crash never leaves
/// half a file under its real name. Served by GET /api/files/{key} with an HMAC-signed expiry.
/// </summary>
public sealed class LocalDiskStore(string root, byte[] signingKey, string? publicBaseUrl, TimeProvider clock) : IFileStore
{
    private readonly string _root = Path.GetFullPath(root);
    private readonly byte[] _urlKey = HMACSHA256.HashData(signingKey, "file-url"u8); // a key of its own, derived

    public async Task<StoredFile> SaveAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
                await file.FlushAsync(ct);
            }
            File.Move(temporary, path, overwrite: true);
            return new StoredFile(key, size, contentType, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key)); // no error when it is already gone
        return Task.CompletedTask;
    }

    public Uri SignedUrl(string key, string contentType, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        var relative = $"/api/files/{FileKeys.Checked(key)}?expires={expires}&type={Uri.EscapeDataString(contentType)}&sig={Sign(key, expires, contentType)}";
        return string.IsNullOrEmpty(publicBaseUrl) ? new Uri(relative, UriKind.Relative) : new Uri(new Uri(publicBaseUrl), relative);
    }

    /// <summary>True when the link was signed by us for this key, type and expiry, and has not expired.</summary>
    public bool Verify(string key, long expires, string contentType, string signature)
    {
        if (!FileKeys.IsSafe(key) || expires < clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, expires, contentType)), Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(string key, long expires, string contentType) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_urlKey, Encoding.UTF8.GetBytes($"{key}\n{expires}\n{contentType}")));

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, FileKeys.Checked(key)));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("The key leaves the storage folder.", nameof(key));
    }
}
