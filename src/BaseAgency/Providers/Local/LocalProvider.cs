using Microsoft.Extensions.Options;

namespace BaseAgency.Providers.Local;

/// <summary>Configuration section "Providers:Local".</summary>
public sealed class LocalProviderOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Simulated provider time per job.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// The built-in provider: offline, keyless, deterministic from prompt and seed. PNG images of the asked
/// size, WAV speech-like melodies of the asked length, text. It makes no video (it cannot make a real one).
/// </summary>
public sealed class LocalProvider(IOptions<LocalProviderOptions> options, TimeProvider clock) : IGenerationProvider
{
    public const string ProviderName = "local";

    public string Name => ProviderName;

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct)
    {
        if (request.Type == GenerationType.Video)
            throw new ProviderException(ProviderFailureKind.Permanent, "unsupported_type", "The local provider does not make video.");

        attempt.Progress(10);
        var latency = options.Value.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency / 2, clock, ct);
            attempt.Progress(50);
            await Task.Delay(latency / 2, clock, ct);
        }
        ct.ThrowIfCancellationRequested();
        attempt.Progress(90);

        var requestId = $"local-{StableSeed.Of(request.Prompt, request.Seed):x12}"[..18];
        switch (request.Type)
        {
            case GenerationType.Image:
                var (width, height) = (request.Width ?? 1024, request.Height ?? 1024);
                return new GenerationResult([new GeneratedFile("image/png", "png", Png.Render(request.Prompt, request.Seed, width, height),
                    Width: width, Height: height)], ProviderRequestId: requestId);
            case GenerationType.Audio:
                var seconds = Math.Clamp(request.DurationSeconds ?? Generations.Pricing.EstimateSpeechSeconds(request.Prompt), 1, 600);
                return new GenerationResult([new GeneratedFile("audio/wav", "wav", Wav.Render(request.Prompt, request.Seed, seconds),
                    DurationSeconds: seconds)], ProviderRequestId: requestId);
            default:
                var (text, tokensIn, tokensOut) = LocalText.Write(request.Prompt, request.Seed, request.MaxTokens ?? 500);
                return new GenerationResult([], text, tokensIn, tokensOut, ProviderRequestId: requestId);
        }
    }
}
