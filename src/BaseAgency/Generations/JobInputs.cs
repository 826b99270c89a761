using BaseAgency.Providers;

namespace BaseAgency.Generations;

/// <summary>
/// What each type of request asks of a job, made one way for a submission and for its quote, so the two
/// fingerprint alike (<see cref="QuoteRules.Fingerprint"/>). Seed, project and tags are the submission's to add.
/// </summary>
public static class JobInputs
{
    public const int DefaultMaxTokens = 500;

    public static JobInput Image(string prompt, string? negativePrompt, string? style, string? aspectRatio, int? width, int? height) =>
        new(prompt.Trim(), negativePrompt?.Trim(), style, aspectRatio, width, height);

    public static JobInput Video(string sourceImage, int duration, string? motionPrompt, string? aspectRatio) =>
        new(motionPrompt?.Trim() ?? "", AspectRatio: aspectRatio, DurationSeconds: duration, SourceImage: sourceImage.Trim());

    /// <summary>The text's spoken length is what is priced (and reserved).</summary>
    public static JobInput Audio(string text, string? voice)
    {
        var trimmed = text.Trim();
        return new(trimmed, Voice: voice?.Trim(), DurationSeconds: Estimates.SpeechSeconds(trimmed));
    }

    /// <summary>The prompt plus maxTokens is what is priced (and reserved).</summary>
    public static JobInput Text(string prompt, int? maxTokens) => new(prompt.Trim(), MaxTokens: maxTokens ?? DefaultMaxTokens);
}
