using BaseAgency.Storage;
using Microsoft.Extensions.Time.Testing;

namespace BaseAgency.Tests.Storage;

public sealed class LocalDiskStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"store-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LocalDiskStore _store;

    public LocalDiskStoreTests() => _store = new LocalDiskStore(_root, new byte[32], null, _clock);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, true);
    }

    [Fact]
    public async Task Files_are_written_whole_read_back_and_deleted()
    {
        var stored = await _store.SaveAsync("org/job/0.txt", new MemoryStream("hello"u8.ToArray()), "text/plain", default);
        stored.SizeBytes.ShouldBe(5);
        stored.Sha256.ShouldBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();

        await using (var read = await _store.OpenAsync("org/job/0.txt", default))
            (await new StreamReader(read!).ReadToEndAsync()).ShouldBe("hello");
        await _store.DeleteAsync("org/job/0.txt", default);
        await _store.DeleteAsync("org/job/0.txt", default);
        (await _store.OpenAsync("org/job/0.txt", default)).ShouldBeNull();

        foreach (var bad in new[] { "../x", "/etc/passwd", "a//b", "a/b?c", "" })
            await Should.ThrowAsync<ArgumentException>(() => _store.SaveAsync(bad, new MemoryStream(), "text/plain", default));
    }

    [Fact]
    public void Signed_links_verify_until_they_expire_and_not_when_altered()
    {
        var url = _store.SignedUrl("org/job/0.png", "image/png", _clock.GetUtcNow().AddMinutes(15)).ToString();
        var query = System.Web.HttpUtility.ParseQueryString(url[(url.IndexOf('?') + 1)..]);
        var (expires, type, sig) = (long.Parse(query["expires"]!), query["type"]!, query["sig"]!);

        _store.Verify("org/job/0.png", expires, type, sig).ShouldBeTrue();
        _store.Verify("org/job/1.png", expires, type, sig).ShouldBeFalse();
        _store.Verify("org/job/0.png", expires + 60, type, sig).ShouldBeFalse();
        _store.Verify("org/job/0.png", expires, "text/html", sig).ShouldBeFalse();
        _store.Verify("org/job/0.png", expires, type, sig[..^2] + "AA").ShouldBeFalse();

        _clock.Advance(TimeSpan.FromMinutes(16));
        _store.Verify("org/job/0.png", expires, type, sig).ShouldBeFalse();
    }
}
