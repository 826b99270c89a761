using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Webhooks;

/// <summary>
/// An app that delivers webhooks to receivers in the test (on 127.0.0.1, over http), retries within a second, waits a
/// second for an answer and disables an endpoint after three failures in a row.
/// </summary>
public sealed class WebhookAppFixture : AppFixture
{
    public const int DisableAfterFailures = 3;

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Webhooks:AllowPrivateNetworks", "true"),
        new("Webhooks:RequireHttps", "false"),
        new("Webhooks:DisableAfterFailures", DisableAfterFailures.ToString()),
        new("Webhooks:Timeout", "00:00:01"),
        .. Enumerable.Range(0, 7).Select(i => new KeyValuePair<string, string>($"Webhooks:RetrySchedule:{i}", "00:00:00.100")),
    ];
}

[CollectionDefinition(Name)]
public sealed class WebhookAppCollection : ICollectionFixture<WebhookAppFixture>
{
    public const string Name = "webhook app";
}
