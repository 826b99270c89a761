namespace BaseAgency.RateLimiting;

/// <summary>Configuration section "RateLimiting". The per-organization limits come from the organization's plan.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Off turns every limit off: request limits, the running-job cap and the stream cap (benchmarks, private deployments).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Browsing with a session token, per signed-in user.</summary>
    public int UserRequestsPerMinute { get; set; } = 300;

    /// <summary>Sign-up, login, refresh and invitation acceptance, per client IP.</summary>
    public int IpRequestsPerMinute { get; set; } = 10;

    public int MaxStreamsPerUser { get; set; } = 5;
    public int MaxStreamsPerOrganization { get; set; } = 20;

    /// <summary>How long a job of an organization at its running-job cap waits before it asks again.</summary>
    public TimeSpan CappedJobRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
