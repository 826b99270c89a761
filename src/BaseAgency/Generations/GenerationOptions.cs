using BaseAgency.Providers;

namespace BaseAgency.Generations;

/// <summary>Configuration section "Generation".</summary>
public sealed class GenerationOptions
{
    /// <summary>Used when a request names no provider.</summary>
    public string DefaultProvider { get; set; } = "local";

    /// <summary>Per provider, the model used when a request names none, by type ("local": {"image": "local-image"}).</summary>
    public Dictionary<string, Dictionary<GenerationType, string>> DefaultModels { get; set; } = new()
    {
        ["local"] = new() { [GenerationType.Image] = "local-image", [GenerationType.Audio] = "local-audio", [GenerationType.Text] = "local-text" },
        ["openai"] = new() { [GenerationType.Image] = "dall-e-3", [GenerationType.Audio] = "tts-1", [GenerationType.Text] = "gpt-4o-mini" },
        ["replicate"] = new() { [GenerationType.Image] = "flux-schnell", [GenerationType.Video] = "kling-1.5" },
        ["freepik"] = new() { [GenerationType.Image] = "mystic" },
        ["elevenlabs"] = new() { [GenerationType.Audio] = "eleven_multilingual_v2" },
    };

    /// <summary>
    /// Equivalent models on other providers, tried in order when a request allows failover and its own
    /// provider is down ("replicate/flux-schnell": ["openai/dall-e-3"]).
    /// </summary>
    public Dictionary<string, List<string>> Failover { get; set; } = new()
    {
        ["replicate/flux-schnell"] = ["freepik/mystic", "openai/dall-e-3"],
        ["replicate/flux-pro"] = ["openai/dall-e-3-hd", "freepik/mystic"],
        ["freepik/mystic"] = ["replicate/flux-schnell", "openai/dall-e-3"],
        ["openai/dall-e-3"] = ["replicate/flux-pro", "freepik/mystic"],
        ["openai/dall-e-3-hd"] = ["replicate/flux-pro"],
        ["elevenlabs/eleven_multilingual_v2"] = ["openai/tts-1"],
        ["openai/tts-1"] = ["elevenlabs/eleven_multilingual_v2"],
        ["replicate/kling-1.5"] = ["replicate/minimax"],
    };

    /// <summary>How many jobs of each type run at once on each node, per queue (the priority queue has as many again).</summary>
    public Dictionary<GenerationType, int> Parallelism { get; set; } = new()
    {
        [GenerationType.Image] = 5, [GenerationType.Video] = 2, [GenerationType.Audio] = 5, [GenerationType.Text] = 5,
    };

    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Share (0–1) of a job's reserved credits charged when it is canceled while the provider works on it, since the
    /// provider charges us for started work; rounded down. A cancel before the provider started charges nothing.
    /// </summary>
    public decimal CancelAfterStartCharge { get; set; } = 0.5m;

    /// <summary>
    /// A job's credits stay reserved this long at most: long enough for a backlog and every attempt, short
    /// enough that credits of a job that somehow never ends come back.
    /// </summary>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// A job with a Cancel-After deadline holds its credits until the deadline plus this, instead of <see cref="ReservationTimeout"/>:
    /// time for the deadline's cancel to settle it.
    /// </summary>
    public TimeSpan DeadlineGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Backoff before attempt n+1 is this × 2^(n−1), or what the provider's Retry-After asks, if longer.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts (a longer Retry-After fails the attempt for good).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A quote (POST /api/quotes) binds its price this long.</summary>
    public TimeSpan QuoteLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A signed file link works this long.</summary>
    public TimeSpan FileUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public static string QueueFor(GenerationType type, bool priority) =>
        $"generation-{type.ToString().ToLowerInvariant()}{(priority ? "-priority" : "")}";
}
