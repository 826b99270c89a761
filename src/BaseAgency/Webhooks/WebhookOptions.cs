namespace BaseAgency.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The published schedule: the first attempt is immediate, then these waits before each retry (5 s, 5 min, 30 min, 2 h, 5 h,
    /// 10 h, 10 h); after the last the delivery has failed for good. Configured as <c>Webhooks:RetrySchedule:0</c>, <c>:1</c>, …
    /// (tests shrink it); null here because configuration appends to an array it binds rather than replacing it.
    /// </summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    public IReadOnlyList<TimeSpan> Retries => RetrySchedule ??
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>This many failed attempts in a row (no success between them) disable the endpoint.</summary>
    public int DisableAfterFailures { get; set; } = 20;

    /// <summary>After a rotation, deliveries are signed with the old secret too for this long, so receivers can switch over.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Off by default: loopback, private, link-local, CGNAT, multicast and metadata addresses are refused at connect time.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Endpoints must be https; null means "outside Development".</summary>
    public bool? RequireHttps { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How much of a receiver's answer is read (and at most kept as the attempt's excerpt).</summary>
    public int ResponseExcerptBytes { get; set; } = 1024;
}
