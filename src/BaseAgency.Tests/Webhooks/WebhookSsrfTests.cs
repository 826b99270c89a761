using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Webhooks;

/// <summary>
/// With private networks refused (the default), an endpoint pointed at the service's own network is refused at connect time:
/// each attempt is a failed delivery that names why, and nothing reaches the receiver listening there.
/// </summary>
[Collection(GuardedWebhookAppCollection.Name)]
public sealed class WebhookSsrfTests(GuardedWebhookAppFixture app) : IAsyncLifetime
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
            _receiver.Url("/loopback"), $"http://10.0.0.1:{port}/private", "http://169.254.169.254/latest/meta-data/",
            $"http://[::1]:{port}/ipv6", $"http://localhost:{port}/name", $"http://[::ffff:127.0.0.1]:{port}/mapped", $"http://0.0.0.0:{port}/any",
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
        _receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_real_event_to_a_refused_address_is_retried_on_the_schedule_and_never_arrives()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/retried"), "generation.completed");

        await app.Host.SubmitJobAsync(admin.Token, "image", new { prompt = "a lighthouse", width = 512, height = 512 });
        var deliveries = await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 2);
        deliveries.ShouldAllBe(d => d!["status"]!.GetValue<string>() == "failed");
        // The schedule here has one retry: the second attempt is the last.
        deliveries.Single(d => d!["attempt"]!.GetValue<int>() == 2)!["nextAttemptAt"].ShouldBeNull();
        _receiver.Requests.ShouldBeEmpty();
    }
}
