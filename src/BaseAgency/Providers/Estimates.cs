namespace BaseAgency.Providers;

/// <summary>
/// Sizes of text and speech before a provider has said: what a job reserves up front, and what the local
/// provider counts, so the two never disagree.
/// </summary>
public static class Estimates
{
    /// <summary>About four characters per token, as OpenAI's tokenizers average for English.</summary>
    public static int Tokens(string text) => Math.Max(1, (text.Length + 3) / 4);

    /// <summary>Speech runs about 150 words a minute; at least one second.</summary>
    public static double SpeechSeconds(string text) =>
        Math.Max(1, Math.Round(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length / 150.0 * 60, 1));
}
