using Microsoft.Extensions.Options;

namespace BaseAgency.Providers.Local;

/// <summary>Configuration section "Providers:Local".</summary>
public sealed class LocalProviderOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Simulated provider time per job (zero: none).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// The built-in provider: offline, keyless, deterministic from prompt and seed. PNG images of the asked
/// size, WAV melodies of the asked (or the text's spoken) length, and text. It makes no video.
/// </summary>
public sealed class LocalProvider(IOptions<LocalProviderOptions> options, TimeProvider clock) : IGenerationProvider
{
    public const string ProviderName = "local";

    public string Name => ProviderName;

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (request.Type == GenerationType.Video)
            throw new ProviderException(ProviderFailureKind.Permanent, "unsupported_type", "The local provider does not make video.");

        attempt.Progress(10);
        var latency = options.Value.Latency;
        if (latency > TimeSpan.Zero) await Task.Delay(latency / 2, clock, ct); // the clock's timers, so a fake clock drives it
        attempt.Progress(50);
        if (latency > TimeSpan.Zero) await Task.Delay(latency - latency / 2, clock, ct);
        ct.ThrowIfCancellationRequested();
        attempt.Progress(90);

        var requestId = RequestId(request);
        switch (request.Type)
        {
            case GenerationType.Image:
                var width = request.Width ?? request.Height ?? ImageSizes.DefaultLongestSide;
                var height = request.Height ?? request.Width ?? ImageSizes.DefaultLongestSide;
                if (width is < 1 or > ImageSizes.MaxSide || height is < 1 or > ImageSizes.MaxSide)
                    throw new ProviderException(ProviderFailureKind.Permanent, "invalid_request",
                        $"The local provider makes images from 1 to {ImageSizes.MaxSide} pixels a side.", providerRequestId: requestId);
                var png = Png.Render(request.Prompt, request.Seed, width, height);
                return new GenerationResult([new GeneratedFile("image/png", "png", png, Width: width, Height: height)], ProviderRequestId: requestId);

            case GenerationType.Audio:
                var asked = request.DurationSeconds is { } d && double.IsFinite(d) ? d : Estimates.SpeechSeconds(request.Prompt);
                var seconds = Math.Clamp(asked, 1, 600);
                var wav = Wav.Render(request.Prompt, request.Seed, seconds);
                return new GenerationResult([new GeneratedFile("audio/wav", "wav", wav, DurationSeconds: seconds)], ProviderRequestId: requestId);

            case GenerationType.Text:
                var (text, tokensInput, tokensOutput) = LocalText.Write(request.Prompt, request.Seed, Math.Max(1, request.MaxTokens ?? 500));
                return new GenerationResult([], text, tokensInput, tokensOutput, ProviderRequestId: requestId);

            default:
                throw new ProviderException(ProviderFailureKind.Permanent, "unsupported_type", $"The local provider does not make {request.Type}.");
        }
    }

    /// <summary>"local-" and 12 hex digits of a hash of the job and its inputs: stable when a job is retried.</summary>
    private static string RequestId(GenerationRequest request)
    {
        Span<byte> hash = stackalloc byte[32];
        StableRandom.Hash($"{request.JobId:N}|{request.Type}|{request.Model}|{request.Prompt}", request.Seed, hash);
        return "local-" + Convert.ToHexStringLower(hash[..6]);
    }
}
