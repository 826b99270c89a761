using System.Text;
using BaseAgency.Storage;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Storage;

/// <summary>The S3 store against a local fake of S3's object API.</summary>
public sealed class S3FileStoreTests : IAsyncLifetime
{
    private readonly FakeS3 _s3 = new();
    private S3FileStore _store = null!;

    public async Task InitializeAsync()
    {
        await _s3.StartAsync();
        _store = new S3FileStore(new S3StorageOptions
        {
            ServiceUrl = _s3.BaseUrl, Bucket = FakeS3.Bucket, AccessKey = FakeS3.AccessKey, SecretKey = FakeS3.SecretKey, ForcePathStyle = true,
        });
    }

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _s3.DisposeAsync();
    }

    [Fact]
    public async Task Files_go_in_come_back_and_go_away()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('x', 70_000)); // more than one upload chunk
        var key = $"{Guid.NewGuid():N}/job/0.png";

        var stored = await _store.SaveAsync(key, new MemoryStream(bytes), "image/png", default);
        stored.SizeBytes.ShouldBe(bytes.Length);
        stored.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        _s3.Objects[key].Body.ShouldBe(bytes);
        _s3.Objects[key].ContentType.ShouldBe("image/png");

        await using (var read = await _store.OpenAsync(key, default))
        {
            using var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            copy.ToArray().ShouldBe(bytes);
        }

        await _store.DeleteAsync(key, default);
        (await _store.OpenAsync(key, default)).ShouldBeNull();
        await _store.DeleteAsync(key, default); // twice is fine
    }

    [Fact]
    public void Links_are_s3_presigned_urls_that_expire()
    {
        var url = _store.SignedUrl("org/job/0.png", "image/png", DateTimeOffset.UtcNow.AddMinutes(15)).ToString();

        url.ShouldStartWith($"{_s3.BaseUrl}/{FakeS3.Bucket}/org/job/0.png?");
        url.ShouldContain("X-Amz-Expires=");
        url.ShouldContain("X-Amz-Signature=");
        url.ShouldContain($"X-Amz-Credential={FakeS3.AccessKey}");
        url.ShouldContain("response-content-type=image%2Fpng");
        Should.Throw<ArgumentException>(() => _store.SignedUrl("../etc/passwd", "text/plain", DateTimeOffset.UtcNow.AddMinutes(1)));
    }
}
