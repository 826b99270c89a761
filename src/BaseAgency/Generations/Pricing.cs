using BaseAgency.Plans;
using BaseAgency.Providers;

namespace BaseAgency.Generations;

/// <summary>What a job costs in credits and USD, from its pricing row. Credits are rounded up, never below 1.</summary>
public sealed record PriceQuote(int Credits, decimal CostUsd, decimal Units, decimal Multiplier);

public static class Pricing
{
    public static PriceUnit UnitFor(GenerationType type) => type switch
    {
        GenerationType.Image => PriceUnit.Image,
        GenerationType.Video => PriceUnit.Second,
        GenerationType.Audio => PriceUnit.Minute,
        _ => PriceUnit.Tokens1k,
    };

    public static GenerationType TypeFor(PriceUnit unit) => unit switch
    {
        PriceUnit.Image => GenerationType.Image,
        PriceUnit.Second => GenerationType.Video,
        PriceUnit.Minute => GenerationType.Audio,
        _ => GenerationType.Text,
    };

    /// <summary>
    /// The multiplier for an image whose longest side is <paramref name="longestSide"/>: that of the
    /// smallest listed side that holds it. Null when the model does not go that large.
    /// </summary>
    public static decimal? Multiplier(PriceRow row, int longestSide)
    {
        if (row.ResolutionMultipliers.Count == 0) return 1;
        var fits = row.ResolutionMultipliers.Keys.Where(side => side >= longestSide).ToList();
        return fits.Count == 0 ? null : row.ResolutionMultipliers[fits.Min()];
    }

    public static PriceQuote Quote(PriceRow row, decimal units, decimal multiplier = 1) =>
        new(Math.Max(1, (int)Math.Ceiling(row.CreditsPerUnit * units * multiplier)), row.CostUsdPerUnit * units * multiplier, units, multiplier);

    /// <summary>Units a job is priced by: images, seconds of video, minutes of audio, thousands of tokens.</summary>
    public static decimal Units(GenerationType type, JobInput input, int tokens = 0) => type switch
    {
        GenerationType.Image => 1,
        GenerationType.Video => (decimal)(input.DurationSeconds ?? 0),
        GenerationType.Audio => (decimal)(input.DurationSeconds ?? Estimates.SpeechSeconds(input.Prompt)) / 60m,
        _ => tokens / 1000m,
    };
}
