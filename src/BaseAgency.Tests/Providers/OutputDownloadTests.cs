using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Storage;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Providers;

/// <summary>
/// The app as in production on every point the refusals below test: outputs only from public addresses. Replicate is the fake
/// (its API is reached as usual); its output hosts include loopback and metadata addresses by name and number, so what refuses
/// them is the check at connect time, and plain http is allowed only because the fake has no certificate.
/// </summary>
public sealed class StrictDownloadsAppFixture : AppFixture
{
    public FakeProviders Fakes { get; } = new();

    protected override Task BeforeStartAsync() => Fakes.StartAsync();

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Providers:Replicate:BaseUrl", $"{Fakes.BaseUrl}/replicate"),
        new("Providers:Replicate:ApiKey", FakeProviders.PlatformKey("replicate")),
        new("Providers:Replicate:PollInterval", "00:00:00.050"),
        new("Providers:Downloads:AllowHttp", "true"),
        new("Providers:Replicate:DownloadHosts:0", "127.0.0.1"),
        new("Providers:Replicate:DownloadHosts:1", "169.254.169.254"),
        new("Providers:Replicate:DownloadHosts:2", "localhost"),
        new("Providers:Replicate:DownloadHosts:3", "::ffff:127.0.0.1"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Fakes.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StrictDownloadsAppCollection : ICollectionFixture<StrictDownloadsAppFixture>
{
    public const string Name = "strict downloads app";
}

/// <summary>Shared by both fixtures: a job whose Replicate output is at the given URL, run to its end.</summary>
internal static class Outputs
{
    public static async Task<(JsonObject Job, Guid Org, string Token, int CreditsBefore)> RunWithOutputAsync(this IAlbaHost host, FakeProviders fakes,
        string url)
    {
        var (org, token) = await host.BusinessCustomerAsync();
        await host.GrantAsync(org, 100, "downloads-test");
        var before = await host.AvailableAsync(token);
        var prompt = $"an output at {url} {Guid.NewGuid():N}";
        fakes.OutputUrls[prompt] = url;
        var job = await host.WaitForJobAsync(token, (await host.SubmitJobAsync(token, "image", new { prompt, provider = "replicate", model = "flux-schnell" })).IdOf());
        return (job, org, token, before);
    }

    /// <summary>The job failed for good with <paramref name="code"/>, its credits are back and none of its files stayed stored.</summary>
    public static async Task ShouldHaveBeenRefusedAsync(this IAlbaHost host, JsonObject job, Guid org, string token, int creditsBefore, string code)
    {
        job["status"]!.GetValue<string>().ShouldBe("failed", job.ToJsonString());
        job["errorCode"]!.GetValue<string>().ShouldBe(code, job.ToJsonString());
        job["attempts"]!.GetValue<int>().ShouldBe(1); // permanent: the provider is not asked again
        (await host.AvailableAsync(token)).ShouldBe(creditsBefore);
        var files = host.Services.GetRequiredService<IFileStore>();
        foreach (var extension in new[] { "png", "mp4" })
            (await files.OpenAsync($"{org:N}/{job.IdOf():N}/0.{extension}", CancellationToken.None)).ShouldBeNull();
    }
}

[Collection(StrictDownloadsAppCollection.Name)]
public sealed class RefusedAddressTests(StrictDownloadsAppFixture app)
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}/files/loopback-{id}.png")]
    [InlineData("http://localhost:{port}/files/by-name-{id}.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/{id}.png")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/files/mapped-{id}.png")]
    public async Task An_output_at_a_private_address_is_refused_without_being_fetched(string template)
    {
        var id = Guid.NewGuid().ToString("N");
        var url = template.Replace("{port}", new Uri(app.Fakes.BaseUrl).Port.ToString()).Replace("{id}", id);

        var (job, org, token, before) = await app.Host.RunWithOutputAsync(app.Fakes, url);

        await app.Host.ShouldHaveBeenRefusedAsync(job, org, token, before, "output_refused");
        app.Fakes.OutputRequests.ShouldNotContain(path => path.Contains(id));
    }

    [Theory]
    [InlineData("https://evil.example/{id}.png")]
    [InlineData("https://replicate.delivery.evil.example/{id}.png")]
    [InlineData("file:///etc/passwd")]
    public async Task An_output_on_a_host_the_provider_does_not_serve_from_is_refused(string template)
    {
        var (job, org, token, before) = await app.Host.RunWithOutputAsync(app.Fakes, template.Replace("{id}", Guid.NewGuid().ToString("N")));

        await app.Host.ShouldHaveBeenRefusedAsync(job, org, token, before, "output_refused");
    }
}

/// <summary>Outputs the fake serves from an allowed host, that are too large, not what they claim, or redirected.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class OutputContentTests(ProvidersAppFixture app)
{
    private string Url(string path) => $"{app.Fakes.BaseUrl}/files/{path}";

    [Theory]
    [InlineData("big", "output_too_large")] // 50 MB, read only up to the image cap
    [InlineData("html", "output_type_mismatch")] // a web page served as image/png
    [InlineData("redirect", "output_refused")]
    public async Task An_output_that_is_too_large_not_the_promised_type_or_redirected_is_refused(string kind, string code)
    {
        var (job, org, token, before) = await app.Host.RunWithOutputAsync(app.Fakes, Url($"{kind}/{Guid.NewGuid():N}.png"));

        await app.Host.ShouldHaveBeenRefusedAsync(job, org, token, before, code);
    }

    [Fact]
    public async Task A_normal_output_is_stored()
    {
        var (job, org, _, _) = await app.Host.RunWithOutputAsync(app.Fakes, Url($"{Guid.NewGuid():N}.png"));

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
        await using var stored = await app.Host.Services.GetRequiredService<IFileStore>().OpenAsync($"{org:N}/{job.IdOf():N}/0.png", CancellationToken.None);
        stored.ShouldNotBeNull();
    }
}
