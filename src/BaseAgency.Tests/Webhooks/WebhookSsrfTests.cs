using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Webhooks;

/// <summary>
/// On the shared app, whose settings are the defaults (private networks refused, https only outside Development): an endpoint
/// pointed at the service's own network is refused at connect time. Each attempt is a failed delivery that says why, and the
/// receiver listening there never even sees a connection.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WebhookSsrfTests(AppFixture app) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();
    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Loopback_private_link_local_metadata_and_names_resolving_to_them_are_refused_and_logged_as_failures()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var port = new Uri(_receiver.Url("/")).Port;
        var urls = new[]
        {
            $"https://127.0.0.1:{port}/loopback", $"https://10.0.0.1:{port}/private", "https://169.254.169.254/latest/meta-data/",
            $"https://[::1]:{port}/ipv6", $"https://localhost:{port}/name", $"https://[::ffff:127.0.0.1]:{port}/mapped", $"https://0.0.0.0:{port}/any",
            $"https://100.64.0.1:{port}/cgnat", $"https://[fd00::1]:{port}/unique-local",
        };
        foreach (var url in urls)
        {
            var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, url, "generation.completed");
            await app.Host.SendTestAsync(admin.Token, webhookId);
            var delivery = (await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 1)).Single()!;
            delivery["status"]!.GetValue<string>().ShouldBe("failed", url);
            delivery["httpStatus"].ShouldBeNull(url);
            delivery["error"]!.GetValue<string>().ShouldContain("addresses webhooks may not reach", Case.Sensitive, url);
        }
        _receiver.Connections.ShouldBe(0);
    }

    [Fact]
    public async Task A_real_event_to_a_refused_address_is_a_failed_attempt_with_a_retry_scheduled()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var port = new Uri(_receiver.Url("/")).Port;
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, $"https://localhost:{port}/retried", "generation.completed");

        await app.Host.SubmitJobAsync(admin.Token, "image", new { prompt = "a lighthouse", width = 512, height = 512 });
        var delivery = (await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 1)).Single()!;
        delivery["status"]!.GetValue<string>().ShouldBe("failed");
        delivery["nextAttemptAt"]!.GetValue<DateTimeOffset>().ShouldBe(delivery["at"]!.GetValue<DateTimeOffset>().AddSeconds(5)); // the schedule's first wait
        _receiver.Connections.ShouldBe(0);
    }

    [Fact]
    public async Task Outside_development_an_http_url_is_refused()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var refused = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { url = "http://hooks.example.invalid/in", events = new[] { "generation.completed" } }).ToUrl("/api/webhooks");
            s.As(admin.Token);
            s.StatusCodeShouldBe(422);
        });
        (await refused.ProblemAsync(422, "webhook_url_invalid"))["detail"]!.GetValue<string>().ShouldBe("The URL must be https.");
    }
}
