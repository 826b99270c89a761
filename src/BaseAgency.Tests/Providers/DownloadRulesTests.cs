using BaseAgency.Providers;
using BaseAgency.Providers.Local;

namespace BaseAgency.Tests.Providers;

public sealed class DownloadRulesTests
{
    private static readonly string[] Replicate = DownloadOptions.DefaultHosts["replicate"];
    private static readonly string[] OpenAI = DownloadOptions.DefaultHosts["openai"];

    [Theory]
    [InlineData("https://replicate.delivery/pbxt/abc/out.png")]
    [InlineData("https://pbxt.replicate.delivery/abc/out.png")]
    [InlineData("https://REPLICATE.delivery/out.png")]
    public void Outputs_from_the_providers_hosts_over_https_may_be_fetched(string url) =>
        DownloadRules.UrlProblem(new Uri(url), Replicate, allowHttp: false).ShouldBeNull();

    [Theory]
    [InlineData("http://replicate.delivery/out.png", "The output URL is not https.")]
    [InlineData("ftp://replicate.delivery/out.png", "The output URL is not https.")]
    [InlineData("https://user:pw@replicate.delivery/out.png", "The output URL carries a user name or password.")]
    [InlineData("https://replicate.delivery.evil.example/out.png", "The output's host 'replicate.delivery.evil.example' is not one the provider serves outputs from.")]
    [InlineData("https://evilreplicate.delivery/out.png", "The output's host 'evilreplicate.delivery' is not one the provider serves outputs from.")]
    [InlineData("https://169.254.169.254/out.png", "The output's host '169.254.169.254' is not one the provider serves outputs from.")]
    public void Other_outputs_are_refused(string url, string problem) =>
        DownloadRules.UrlProblem(new Uri(url), Replicate, allowHttp: false).ShouldBe(problem);

    [Fact]
    public void A_wildcard_matches_subdomains_only() =>
        (DownloadRules.HostMatches("oaidalleapiprodscus.blob.core.windows.net", OpenAI[0]),
            DownloadRules.HostMatches("files.oaiusercontent.com", OpenAI[0]),
            DownloadRules.HostMatches("oaiusercontent.com", OpenAI[0])).ShouldBe((false, true, false));

    [Fact]
    public void Http_is_allowed_only_when_set() =>
        DownloadRules.UrlProblem(new Uri("http://replicate.delivery/out.png"), Replicate, allowHttp: true).ShouldBeNull();

    [Theory]
    [InlineData("image/png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 })]
    [InlineData("image/jpeg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1 })]
    [InlineData("image/webp", new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' })]
    [InlineData("audio/wav", new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' })]
    [InlineData("video/mp4", new byte[] { 0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'m', (byte)'p', (byte)'4', (byte)'2' })]
    [InlineData("audio/mpeg", new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData("audio/mpeg", new byte[] { 0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Content_of_the_promised_type_is_recognised(string contentType, byte[] header) =>
        DownloadRules.IsOfType(contentType, header).ShouldBeTrue();

    [Theory]
    [InlineData("image/png", new byte[] { (byte)'<', (byte)'h', (byte)'t', (byte)'m', (byte)'l', (byte)'>' })]
    [InlineData("image/png", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 })]
    [InlineData("image/webp", new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' })]
    [InlineData("video/mp4", new byte[] { 0, 0, 0 })]
    [InlineData("audio/mpeg", new byte[] { 0, 0, 0, 0 })]
    [InlineData("image/svg+xml", new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g' })]
    [InlineData("image/png", new byte[0])]
    public void Content_of_another_or_an_uncheckable_type_is_not(string contentType, byte[] header) =>
        DownloadRules.IsOfType(contentType, header).ShouldBeFalse();

    [Fact]
    public void The_local_providers_images_pass_their_own_check() =>
        DownloadRules.IsOfType("image/png", Png.Render("check", 1, 8, 8)).ShouldBeTrue();

    [Theory]
    [InlineData(100L, null, 100L, false)]
    [InlineData(100L, 500L, 100L, false)]
    [InlineData(100L, 40L, 40L, true)]
    [InlineData(100L, 0L, 0L, true)]
    public void The_limit_is_the_types_cap_or_the_storage_left_if_smaller(long cap, long? left, long bytes, bool byStorage) =>
        DownloadRules.LimitOf(cap, left).ShouldBe(new OutputLimit(bytes, byStorage));

    [Fact]
    public void Exceeding_each_limit_has_its_own_code() =>
        (new OutputLimit(1, true).Exceeded().Code, new OutputLimit(1, false).Exceeded().Code).ShouldBe(("storage_full", "output_too_large"));
}

/// <summary><see cref="ProviderDownloads"/> over a scripted HTTP answer, for what a live fake would need a clock for.</summary>
public sealed class ProviderDownloadsTests
{
    private sealed class Answer(Func<HttpResponseMessage> respond) : HttpMessageHandler, IHttpClientFactory
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) => Task.FromResult(respond());
        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);
    }

    /// <summary>A body that sends its first bytes and then nothing, until canceled.</summary>
    private sealed class Stalling(byte[] first) : MemoryStream(first)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var read = await base.ReadAsync(buffer, ct);
            if (read > 0) return read;
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }
    }

    private static readonly GeneratedFile Png = new("image/png", "png", DownloadUrl: new Uri("https://replicate.delivery/out.png"));

    private static ProviderDownloads Downloads(Func<HttpResponseMessage> respond) =>
        new(new Answer(respond), Microsoft.Extensions.Options.Options.Create(new DownloadOptions
        {
            Timeout = TimeSpan.FromMilliseconds(100), Hosts = { ["replicate"] = ["replicate.delivery"] },
        }));

    private static async Task<string> CodeOfAsync(ProviderDownloads downloads, OutputLimit limit)
    {
        var e = await Should.ThrowAsync<ProviderException>(async () =>
        {
            await using var content = await downloads.OpenAsync("replicate", Png, limit, CancellationToken.None);
            await content.CopyToAsync(Stream.Null);
        });
        return e.Code;
    }

    [Fact]
    public async Task A_body_that_stops_arriving_times_out() =>
        (await CodeOfAsync(Downloads(() => new HttpResponseMessage { Content = new StreamContent(new Stalling(BaseAgency.Providers.Local.Png.Render("x", 1, 4, 4))) }),
            new OutputLimit(1024 * 1024, false))).ShouldBe("output_timeout");

    [Fact]
    public async Task A_body_longer_than_the_limit_stops_being_read_there()
    {
        var body = new byte[4096];
        BaseAgency.Providers.Local.Png.Render("x", 1, 4, 4).CopyTo(body, 0);
        (await CodeOfAsync(Downloads(() => new HttpResponseMessage { Content = new StreamContent(new MemoryStream(body)) }), new OutputLimit(1000, false)))
            .ShouldBe("output_too_large");
    }

    [Fact]
    public async Task A_redirect_is_not_followed() =>
        (await CodeOfAsync(Downloads(() => new HttpResponseMessage(System.Net.HttpStatusCode.Found) { Headers = { Location = new Uri("http://169.254.169.254/") } }),
            new OutputLimit(1000, false))).ShouldBe("output_refused");

    [Fact]
    public async Task Bytes_in_the_providers_answer_are_held_to_the_limit_too()
    {
        var downloads = Downloads(() => throw new InvalidOperationException("bytes in hand are not downloaded"));
        var inline = new GeneratedFile("image/png", "png", Content: new byte[11]);
        (await Should.ThrowAsync<ProviderException>(() => downloads.OpenAsync("replicate", inline, new OutputLimit(10, true), CancellationToken.None)))
            .Code.ShouldBe("storage_full");
    }
}
