using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace BaseAgency.Providers.ElevenLabs;

/// <summary>
/// ElevenLabs text to speech: POST /v1/text-to-speech/{voice_id}?output_format=mp3_44100_128 with the
/// <c>xi-api-key</c> header answers the audio bytes. A voice is an ElevenLabs voice id; Rachel by default.
/// </summary>
public sealed class ElevenLabsProvider(IHttpClientFactory http) : IGenerationProvider, IValidatesKeys
{
    public const string ProviderName = "elevenlabs";
    public const string DefaultVoice = "21m00Tcm4TlvDq8ikWAM";
    private const int BitsPerSecond = 128_000;

    public string Name => ProviderName;

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct)
    {
        var key = attempt.ApiKey ?? throw ProviderSetup.NoKey(ProviderName);
        var voice = string.IsNullOrWhiteSpace(request.Voice) ? DefaultVoice : request.Voice;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, $"v1/text-to-speech/{Uri.EscapeDataString(voice)}?output_format=mp3_44100_128")
            {
                Content = JsonContent.Create(new JsonObject { ["text"] = request.Prompt, ["model_id"] = request.Model }),
            };
            message.Headers.Add("xi-api-key", key);
            attempt.Progress(20);
            using var response = await http.CreateClient(ProviderName).SendAsync(message, ct);
            await ProviderHttp.EnsureSuccessAsync(response, "ElevenLabs", ct);
            var audio = await response.Content.ReadAsByteArrayAsync(ct);
            if (audio.Length == 0 || response.Content.Headers.ContentType?.MediaType?.StartsWith("audio/") != true)
                throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", "ElevenLabs answered without audio.",
                    providerRequestId: ProviderHttp.RequestId(response.Headers));
            var seconds = Math.Round(audio.Length * 8.0 / BitsPerSecond, 2); // constant bit rate
            return new GenerationResult([new GeneratedFile("audio/mpeg", "mp3", audio, DurationSeconds: seconds)],
                TokensInput: request.Prompt.Length, ProviderRequestId: ProviderHttp.RequestId(response.Headers));
        }
        catch (Exception e) when (ProviderHttp.FromTransport("ElevenLabs", e, ct) is { } failure)
        {
            throw failure;
        }
    }

    public async Task ValidateKeyAsync(string apiKey, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "v1/user");
        message.Headers.Add("xi-api-key", apiKey);
        using var response = await http.CreateClient(ProviderName).SendAsync(message, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "ElevenLabs", ct);
    }
}
