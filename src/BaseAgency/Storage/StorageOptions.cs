namespace BaseAgency.Storage;

public enum StorageProvider { Local, S3 }

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Local;

    /// <summary>Local provider: the folder (default "&lt;DataDirectory&gt;/files").</summary>
    public string? LocalPath { get; set; }

    /// <summary>Local provider: an absolute base for signed links; relative ("/api/files/...") when empty.</summary>
    public string? PublicBaseUrl { get; set; }

    public S3StorageOptions S3 { get; set; } = new();
}

public sealed class S3StorageOptions
{
    /// <summary>For S3-compatible servers (MinIO, R2, ...); AWS when empty.</summary>
    public string? ServiceUrl { get; set; }
    public string Region { get; set; } = "us-east-1";
    public string? Bucket { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public bool ForcePathStyle { get; set; }
}

/// <summary>Keys are paths we make ourselves; this keeps anything else out of the file system and the bucket.</summary>
public static class FileKeys
{
    public static bool IsSafe(string key) =>
        key.Length is > 0 and <= 512 && !key.StartsWith('/') && !key.Contains("..") && !key.Contains("//") &&
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '.' or '-');

    public static string Checked(string key) =>
        IsSafe(key) ? key : throw new ArgumentException($"'{key}' is not a valid file key.", nameof(key));
}
