using System.Net;
using BaseAgency.Features.UpdateWebhook;
using BaseAgency.Http;
using BaseAgency.Providers.Keys;
using BaseAgency.Webhooks;

namespace BaseAgency.Tests.Webhooks;

/// <summary>The webhooks' decisions as plain functions: signatures, addresses, URLs, retries, disabling, updates.</summary>
public sealed class WebhookRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Signatures_match_the_standard_webhooks_libraries()
    {
        // The specification's example, signed by the official `standardwebhooks` npm package (v1.0.0).
        WebhookSigning.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""")
            .ShouldBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public void During_a_rotation_each_secret_signs_and_the_signatures_are_space_separated()
    {
        var (a, b) = (WebhookSigning.NewSecret(), WebhookSigning.NewSecret());
        WebhookSigning.SignatureOf([a, b], "id", 1, "{}").ShouldBe($"{WebhookSigning.Sign(a, "id", 1, "{}")} {WebhookSigning.Sign(b, "id", 1, "{}")}");
        a.ShouldStartWith("whsec_");
        Convert.FromBase64String(a["whsec_".Length..]).Length.ShouldBe(32);
    }

    [Fact]
    public void The_previous_secret_signs_until_the_overlap_ends()
    {
        var sealedSecret = new SealedSecret("k", "n", "c", "t");
        var previous = new SealedSecret("k", "n2", "c2", "t2");
        var endpoint = new WebhookEndpoint(Guid.NewGuid(), Guid.NewGuid(), "https://x.example", ["generation.completed"], null, sealedSecret, Now, Guid.NewGuid())
            { PreviousSecret = previous, PreviousSecretUntil = Now.AddHours(1) };
        WebhookAttempts.SigningSecrets(endpoint, Now).ShouldBe([sealedSecret, previous]);
        WebhookAttempts.SigningSecrets(endpoint, Now.AddHours(1)).ShouldBe([sealedSecret]);
    }

    [Theory]
    [InlineData("127.0.0.1")] [InlineData("127.255.0.9")] [InlineData("10.0.0.1")] [InlineData("172.16.0.1")] [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")] [InlineData("169.254.169.254")] [InlineData("100.64.0.1")] [InlineData("100.127.255.255")] [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")] [InlineData("255.255.255.255")] [InlineData("::")] [InlineData("::1")] [InlineData("fc00::1")] [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")] [InlineData("ff02::1")] [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:169.254.169.254")] [InlineData("::ffff:10.1.2.3")]
    [InlineData("64:ff9b::a9fe:a9fe")] [InlineData("::127.0.0.1")]
    public void Addresses_of_our_own_network_are_not_public(string address) => OutboundNetwork.IsPublic(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("93.184.215.14")] [InlineData("8.8.8.8")] [InlineData("172.32.0.1")] [InlineData("100.128.0.1")] [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Addresses_on_the_internet_are_public(string address) => OutboundNetwork.IsPublic(IPAddress.Parse(address)).ShouldBeTrue();

    [Theory]
    [InlineData("https://hooks.example.com/in", true, null)]
    [InlineData("http://hooks.example.com/in", false, null)]
    [InlineData("http://hooks.example.com/in", true, "The URL must be https.")]
    [InlineData("ftp://hooks.example.com/in", false, "The URL must be http or https.")]
    [InlineData("https://a:b@hooks.example.com/in", true, "The URL must not carry a user name or password.")]
    [InlineData("hooks.example.com/in", true, "The URL is not absolute.")]
    public void Urls_are_checked_for_shape(string url, bool requireHttps, string? problem) =>
        WebhookNetwork.UrlProblem(url, requireHttps).ShouldBe(problem);

    [Fact]
    public void Retries_follow_the_schedule_and_stop_after_it_or_for_attempts_made_by_hand()
    {
        var schedule = new WebhookOptions().Retries;
        schedule.ShouldBe([
            TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)]);
        WebhookAttempts.NextDelay(1, false, schedule).ShouldBe(TimeSpan.FromSeconds(5));
        WebhookAttempts.NextDelay(7, false, schedule).ShouldBe(TimeSpan.FromHours(10));
        WebhookAttempts.NextDelay(8, false, schedule).ShouldBeNull();
        WebhookAttempts.NextDelay(1, true, schedule).ShouldBeNull();
    }

    [Theory]
    [InlineData(410, 1, "The receiver answered 410 Gone.")]
    [InlineData(500, 4, null)]
    [InlineData(500, 5, "5 delivery attempts failed in a row.")]
    [InlineData(null, 5, "5 delivery attempts failed in a row.")]
    [InlineData(200, 0, null)]
    public void An_endpoint_is_disabled_by_a_410_or_a_run_of_failures(int? status, int failures, string? reason) =>
        WebhookAttempts.DisableReason(new WebhookResponse(status, 1, null, null), failures, 5).ShouldBe(reason);

    [Fact]
    public void Enabling_again_forgets_the_failures_and_an_update_changes_only_what_it_names()
    {
        var endpoint = new WebhookEndpoint(Guid.NewGuid(), Guid.NewGuid(), "https://x.example", ["generation.completed"], "d",
            new SealedSecret("k", "n", "c", "t"), Now, Guid.NewGuid()) { Enabled = false, ConsecutiveFailures = 20, DisabledReason = "x", DisabledAt = Now };
        UpdateWebhookHandler.Updated(endpoint, new UpdateWebhookRequest(Enabled: true), Now)
            .ShouldBe(endpoint with { Enabled = true, ConsecutiveFailures = 0, DisabledReason = null, DisabledAt = null });
        UpdateWebhookHandler.Updated(endpoint, new UpdateWebhookRequest(Url: "https://y.example"), Now).ShouldBe(endpoint with { Url = "https://y.example" });
        var enabled = endpoint with { Enabled = true, ConsecutiveFailures = 0, DisabledReason = null, DisabledAt = null };
        UpdateWebhookHandler.Updated(enabled, new UpdateWebhookRequest(Enabled: false), Now)
            .ShouldBe(enabled with { Enabled = false, DisabledReason = "Disabled by an admin.", DisabledAt = Now });
    }
}
