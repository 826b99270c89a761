using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BaseAgency.Storage;

/// <summary>Files in an S3 bucket (AWS or any S3-compatible server); links are S3's own presigned URLs.</summary>
public sealed class S3FileStore : IFileStore, IDisposable
{
    private readonly AmazonS3Client _s3;
    private readonly string _bucket;
    private readonly Protocol _linkProtocol;

    public S3FileStore(S3StorageOptions options)
    {
        _bucket = options.Bucket!;
        // Presigned links default to https; a plain-http S3-compatible server (a local MinIO) needs http ones.
        _linkProtocol = options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl)) config.ServiceURL = options.ServiceUrl;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl)) config.AuthenticationRegion = options.Region;
        _s3 = string.IsNullOrWhiteSpace(options.AccessKey)
            ? new AmazonS3Client(config) // the environment's credentials (instance role, AWS_* variables)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public async Task<StoredFile> SaveAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        // Buffer to know the size and hash up front (generated files are a few MB at most).
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var sha256 = SHA256.HashData(bytes);
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = FileKeys.Checked(key),
            InputStream = new MemoryStream(bytes, writable: false),
            ContentType = contentType,
            ChecksumSHA256 = Convert.ToBase64String(sha256),
            AutoCloseStream = true,
        }, ct);
        return new StoredFile(key, bytes.Length, contentType, Convert.ToHexStringLower(sha256));
    }

    public async Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        try
        {
            var response = await _s3.GetObjectAsync(_bucket, FileKeys.Checked(key), ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct) =>
        await _s3.DeleteObjectAsync(_bucket, FileKeys.Checked(key), ct);

    public Uri SignedUrl(string key, string contentType, DateTimeOffset expiresAt) =>
        new(_s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = FileKeys.Checked(key),
            Verb = HttpVerb.GET,
            Protocol = _linkProtocol,
            Expires = expiresAt.UtcDateTime,
            ResponseHeaderOverrides = new ResponseHeaderOverrides { ContentType = contentType },
        }));

    public void Dispose() => _s3.Dispose();
}
