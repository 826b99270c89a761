using System.Text.Json.Nodes;
using BaseAgency.Events;
using BaseAgency.Organizations;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Webhooks;

/// <summary>Events reach a real receiver in the test, signed per Standard Webhooks, retried, and logged per attempt.</summary>
[Collection(WebhookAppCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookAppFixture app) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();
    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_finished_job_reaches_the_receiver_signed_so_it_verifies_with_the_standard_scheme()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, secret) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/hooks"), "generation.completed");
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBeGreaterThanOrEqualTo(24);

        var job = await app.Host.SubmitJobAsync(admin.Token, "image", new { prompt = "a lighthouse", width = 512, height = 512 });
        await Webhooks.WaitForAsync(() => _receiver.To("/hooks").Count > 0);

        var request = _receiver.To("/hooks").Single();
        Webhooks.Verifies(secret, request).ShouldBeTrue();
        Webhooks.Verifies("whsec_" + Convert.ToBase64String(new byte[32]), request).ShouldBeFalse();
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Headers["webhook-timestamp"])).ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        request.Headers["content-type"].ShouldStartWith("application/json");
        var body = JsonNode.Parse(request.Body)!;
        body["type"]!.GetValue<string>().ShouldBe("generation.completed");
        body["timestamp"]!.GetValue<DateTimeOffset>().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        body["data"]!["id"]!.GetValue<Guid>().ShouldBe(job.IdOf());
        body["data"]!["status"]!.GetValue<string>().ShouldBe("completed");

        var delivery = (await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 1)).Single()!;
        delivery["eventId"]!.GetValue<Guid>().ToString().ShouldBe(request.Headers["webhook-id"]);
        delivery["status"]!.GetValue<string>().ShouldBe("delivered");
        delivery["httpStatus"]!.GetValue<int>().ShouldBe(200);
        delivery["responseExcerpt"]!.GetValue<string>().ShouldBe("ok");
        delivery["attempt"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_receiver_that_answers_500_then_200_gets_the_event_once_on_the_retry_with_the_same_id()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, secret) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/flaky"), "generation.completed");
        _receiver.Answer("/flaky", 500);

        await app.Host.SubmitJobAsync(admin.Token, "image", new { prompt = "a lighthouse", width = 512, height = 512 });
        var deliveries = await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Any(x => x!["status"]!.GetValue<string>() == "delivered"));

        deliveries.Select(d => (d!["attempt"]!.GetValue<int>(), d["status"]!.GetValue<string>(), d["httpStatus"]!.GetValue<int>()))
            .OrderBy(d => d.Item1).ShouldBe([(1, "failed", 500), (2, "delivered", 200)]);
        deliveries.Single(d => d!["attempt"]!.GetValue<int>() == 1)!["nextAttemptAt"].ShouldNotBeNull();
        deliveries.Single(d => d!["attempt"]!.GetValue<int>() == 1)!["responseExcerpt"]!.GetValue<string>().ShouldBe("answered 500");
        var requests = _receiver.To("/flaky");
        requests.Count.ShouldBe(2);
        requests.Select(r => r.Headers["webhook-id"]).Distinct().Count().ShouldBe(1);
        requests.ShouldAllBe(r => Webhooks.Verifies(secret, r));
        (await app.Host.WebhookAsync(admin.Token, webhookId))["consecutiveFailures"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task An_endpoint_failing_every_attempt_is_disabled_audited_and_the_organization_is_told()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/down"), "generation.completed");
        _receiver.Answer("/down", Enumerable.Repeat(503, 10).ToArray());

        await app.Host.SubmitJobAsync(admin.Token, "image", new { prompt = "a lighthouse", width = 512, height = 512 });
        await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == WebhookAppFixture.DisableAfterFailures);
        var webhook = await Webhooks.EventuallyAsync(() => app.Host.WebhookAsync(admin.Token, webhookId), w => !w["enabled"]!.GetValue<bool>());
        webhook["disabledReason"]!.GetValue<string>().ShouldContain("3 delivery attempts failed in a row");
        webhook["consecutiveFailures"]!.GetValue<int>().ShouldBe(3);

        // No attempt after the endpoint was switched off, and the last one promises none.
        var deliveries = await app.Host.DeliveriesAsync(admin.Token, webhookId);
        deliveries.Count.ShouldBe(3);
        deliveries.Single(d => d!["attempt"]!.GetValue<int>() == 3)!["nextAttemptAt"].ShouldBeNull();
        _receiver.To("/down").Count.ShouldBe(3);

        var audit = await app.Host.GetAsJson<JsonObject>("/api/audit-logs?action=webhook.disabled", admin.Token);
        audit["items"]!.AsArray().ShouldContain(e => e!["resourceId"]!.GetValue<string>() == webhookId.ToString());
        await AssertToldAsync(admin.OrganizationId, webhookId);

        // Enabling it again starts afresh.
        var enabled = await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { enabled = true }).ToUrl($"/api/webhooks/{webhookId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(200);
        });
        var body = await enabled.JsonAsync();
        body["enabled"]!.GetValue<bool>().ShouldBeTrue();
        body["consecutiveFailures"]!.GetValue<int>().ShouldBe(0);
        body["disabledReason"].ShouldBeNull();
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_at_once()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/gone"), "generation.completed");
        _receiver.Answer("/gone", 410);

        await app.Host.SubmitJobAsync(admin.Token, "image", new { prompt = "a lighthouse", width = 512, height = 512 });
        var webhook = await Webhooks.EventuallyAsync(() => app.Host.WebhookAsync(admin.Token, webhookId), w => !w["enabled"]!.GetValue<bool>());
        webhook["disabledReason"]!.GetValue<string>().ShouldContain("410");
        (await app.Host.DeliveriesAsync(admin.Token, webhookId)).Single()!["httpStatus"]!.GetValue<int>().ShouldBe(410);
        _receiver.To("/gone").Count.ShouldBe(1);
        await AssertToldAsync(admin.OrganizationId, webhookId);
    }

    [Fact]
    public async Task Failures_arriving_side_by_side_are_all_counted_and_disable_the_endpoint_once()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/racing"));
        _receiver.Answer("/racing", Enumerable.Repeat(500, WebhookAppFixture.DisableAfterFailures).ToArray());

        await Task.WhenAll(Enumerable.Range(0, WebhookAppFixture.DisableAfterFailures).Select(_ => app.Host.SendTestAsync(admin.Token, webhookId)));
        await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == WebhookAppFixture.DisableAfterFailures);
        var webhook = await app.Host.WebhookAsync(admin.Token, webhookId);
        webhook["consecutiveFailures"]!.GetValue<int>().ShouldBe(WebhookAppFixture.DisableAfterFailures);
        webhook["enabled"]!.GetValue<bool>().ShouldBeFalse();
        (await app.Host.EventsAsync(admin.OrganizationId, "webhook.disabled")).Count(e => e.Data.GetProperty("id").GetGuid() == webhookId).ShouldBe(1);
    }

    [Fact]
    public async Task A_receiver_that_never_finishes_its_answer_is_cut_off_at_the_timeout()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/stalling"));
        _receiver.Stall("/stalling");

        await app.Host.SendTestAsync(admin.Token, webhookId);
        var delivery = (await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 1)).Single()!;
        delivery["status"]!.GetValue<string>().ShouldBe("failed");
        delivery["error"]!.GetValue<string>().ShouldBe("No complete answer within 1 s.");
    }

    [Fact]
    public async Task A_redirect_is_never_followed()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/moved"));
        _receiver.Redirect("/moved", _receiver.Url("/trap"));

        await app.Host.SendTestAsync(admin.Token, webhookId);
        var delivery = (await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 1)).Single()!;
        delivery["status"]!.GetValue<string>().ShouldBe("failed");
        delivery["httpStatus"]!.GetValue<int>().ShouldBe(307);
        _receiver.To("/trap").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_test_event_goes_to_that_endpoint_alone_and_a_delivery_can_be_sent_again_by_hand()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, secret) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/one"));
        await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/other"));

        var eventId = await app.Host.SendTestAsync(admin.Token, webhookId);
        var first = (await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 1)).Single()!;
        JsonNode.Parse(_receiver.To("/one").Single().Body)!["type"]!.GetValue<string>().ShouldBe("webhook.test");

        await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/webhooks/{webhookId}/deliveries/{first["id"]}/redeliver");
            s.As(admin.Token);
            s.StatusCodeShouldBe(202);
        });
        await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 2);
        var requests = _receiver.To("/one");
        requests.Count.ShouldBe(2);
        requests.ShouldAllBe(r => r.Headers["webhook-id"] == eventId.ToString() && Webhooks.Verifies(secret, r));
        _receiver.To("/other").ShouldBeEmpty();
    }

    [Fact]
    public async Task After_a_rotation_deliveries_carry_signatures_with_the_new_and_the_old_secret()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, old) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/rotated"));
        var rotated = await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/webhooks/{webhookId}/rotate-secret");
            s.As(admin.Token);
            s.StatusCodeShouldBe(200);
        });
        var secret = (await rotated.JsonAsync())["secret"]!.GetValue<string>();
        secret.ShouldNotBe(old);

        await app.Host.SendTestAsync(admin.Token, webhookId);
        await Webhooks.WaitForAsync(() => _receiver.To("/rotated").Count == 1);
        var request = _receiver.To("/rotated").Single();
        request.Headers["webhook-signature"].Split(' ').Length.ShouldBe(2);
        Webhooks.Verifies(secret, request).ShouldBeTrue();
        Webhooks.Verifies(old, request).ShouldBeTrue();
    }

    [Fact]
    public async Task The_delivery_log_pages_newest_first()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (webhookId, _) = await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/paged"));
        for (var i = 0; i < 3; i++) await app.Host.SendTestAsync(admin.Token, webhookId);
        var all = await app.Host.WaitForDeliveriesAsync(admin.Token, webhookId, d => d.Count == 3);

        var first = await app.Host.GetAsJson<JsonObject>($"/api/webhooks/{webhookId}/deliveries?limit=2", admin.Token);
        var second = await app.Host.GetAsJson<JsonObject>($"/api/webhooks/{webhookId}/deliveries?limit=2&cursor={first["nextCursor"]}", admin.Token);
        first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(d => d!["id"]!.GetValue<Guid>())
            .ShouldBe(all.Select(d => d!["id"]!.GetValue<Guid>()));
        second["nextCursor"].ShouldBeNull();
    }

    private async Task AssertToldAsync(Guid organizationId, Guid webhookId)
    {
        var told = await app.Host.EventsAsync(organizationId, "webhook.disabled");
        told.ShouldContain(e => e.Data.GetProperty("id").GetGuid() == webhookId && !e.Data.GetProperty("enabled").GetBoolean());
    }
}
