using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Features.DownloadFile;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.DownloadFile;

/// <summary>Signed links through HTTP, on the app whose clock the tests move.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class DownloadFileTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_gallery_link_stops_working_after_fifteen_minutes()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var job = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt = "expiring" })).IdOf());
        var generation = await app.Host.GetAsJson<JsonObject>($"/api/generations/{job["generationId"]}", token);
        var link = generation["files"]![0]!["url"]!.GetValue<string>();

        var fresh = await app.Host.Scenario(s => s.Get.Url(link));
        fresh.Context.Response.ContentType.ShouldBe("image/png");
        fresh.Context.Response.Headers.CacheControl.ToString().ShouldStartWith("private, max-age=");

        app.Clock.Advance(TimeSpan.FromMinutes(16));
        var stale = await app.Host.Scenario(s =>
        {
            s.Get.Url(link);
            s.StatusCodeShouldBe(403);
        });
        await stale.ProblemAsync(403, "invalid_file_signature");
    }

    [Fact]
    public void A_browser_keeps_the_file_no_longer_than_the_link_lives()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);
        DownloadFileHandler.MaxAgeSeconds(now.ToUnixTimeSeconds() + 900, now).ShouldBe(900);
        DownloadFileHandler.MaxAgeSeconds(now.ToUnixTimeSeconds() - 5, now).ShouldBe(0);
    }
}
