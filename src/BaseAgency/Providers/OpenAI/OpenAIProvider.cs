using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Chat;
using OpenAI.Images;
using OpenAI.Models;

namespace BaseAgency.Providers.OpenAI;

/// <summary>
/// OpenAI through its official .NET package: DALL·E 3 images (<c>dall-e-3-hd</c> is DALL·E 3 at HD quality),
/// speech for audio, chat completions for text. Calls go through our resilient HttpClient; the package's own
/// retries are off so a request is never repeated twice over.
/// </summary>
public sealed class OpenAIProvider(IHttpClientFactory http, IOptionsMonitor<ExternalProviderOptions> options) : IGenerationProvider, IValidatesKeys, ISnapsImageSize
{
    public const string ProviderName = "openai";
    private const string DefaultBaseUrl = "https://api.openai.com/v1";

    public string Name => ProviderName;

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct)
    {
        var key = new ApiKeyCredential(attempt.ApiKey ?? throw ProviderSetup.NoKey(ProviderName));
        var clientOptions = ClientOptions();
        attempt.Progress(20);
        try
        {
            return request.Type switch
            {
                GenerationType.Image => await ImageAsync(request, key, clientOptions, ct),
                GenerationType.Audio => await SpeechAsync(request, key, clientOptions, ct),
                GenerationType.Text => await ChatAsync(request, key, clientOptions, ct),
                _ => throw new ProviderException(ProviderFailureKind.Permanent, "unsupported_type", "OpenAI makes no video here."),
            };
        }
        catch (ClientResultException e)
        {
            var raw = e.GetRawResponse();
            var retryAfter = raw?.Headers.TryGetValue("Retry-After", out var value) == true && int.TryParse(value, out var seconds)
                ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var requestId = raw?.Headers.TryGetValue("x-request-id", out var id) == true ? id : null;
            throw e.Status == 0
                ? new ProviderException(ProviderFailureKind.Transient, "provider_unreachable", "OpenAI could not be reached.", inner: e)
                : ProviderHttp.FromStatus("OpenAI", e.Status, raw?.Content.ToString(), retryAfter, requestId);
        }
        catch (Exception e) when (ProviderHttp.FromTransport("OpenAI", e, ct) is { } failure)
        {
            throw failure;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or ArgumentOutOfRangeException)
        {
            throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", "OpenAI sent an answer we could not read.", inner: e);
        }
    }

    public async Task ValidateKeyAsync(string apiKey, CancellationToken ct)
    {
        try
        {
            await new OpenAIModelClient(new ApiKeyCredential(apiKey), ClientOptions()).GetModelsAsync(ct);
        }
        catch (ClientResultException e)
        {
            throw ProviderHttp.FromStatus("OpenAI", e.Status, null, null, null);
        }
    }

    private static async Task<GenerationResult> ImageAsync(GenerationRequest request, ApiKeyCredential key, OpenAIClientOptions clientOptions, CancellationToken ct)
    {
        var hd = request.Model == "dall-e-3-hd";
        var model = hd ? "dall-e-3" : request.Model;
        var (width, height, size) = SizeFor(request.Width ?? 1024, request.Height ?? 1024);
        var result = await new ImageClient(model, key, clientOptions).GenerateImageAsync(request.Prompt, new ImageGenerationOptions
        {
            Size = size,
            Quality = hd ? GeneratedImageQuality.High : GeneratedImageQuality.Standard,
            ResponseFormat = GeneratedImageFormat.Bytes,
            Style = request.Style == "natural" ? GeneratedImageStyle.Natural : GeneratedImageStyle.Vivid,
        }, ct);
        var bytes = result.Value.ImageBytes?.ToArray()
                    ?? throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", "OpenAI answered without an image.");
        return new GenerationResult([new GeneratedFile("image/png", "png", bytes, Width: width, Height: height)],
            ProviderRequestId: RequestId(result.GetRawResponse()));
    }

    private static async Task<GenerationResult> SpeechAsync(GenerationRequest request, ApiKeyCredential key, OpenAIClientOptions clientOptions, CancellationToken ct)
    {
        var voice = new GeneratedSpeechVoice(string.IsNullOrWhiteSpace(request.Voice) ? "alloy" : request.Voice);
        var result = await new AudioClient(request.Model, key, clientOptions).GenerateSpeechAsync(request.Prompt, voice,
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Mp3 }, ct);
        var audio = result.Value.ToArray();
        var seconds = Math.Round(audio.Length * 8.0 / 128_000, 2); // OpenAI's MP3 is 128 kb/s
        return new GenerationResult([new GeneratedFile("audio/mpeg", "mp3", audio, DurationSeconds: seconds)],
            ProviderRequestId: RequestId(result.GetRawResponse()));
    }

    private static async Task<GenerationResult> ChatAsync(GenerationRequest request, ApiKeyCredential key, OpenAIClientOptions clientOptions, CancellationToken ct)
    {
        var result = await new ChatClient(request.Model, key, clientOptions).CompleteChatAsync(
            [new UserChatMessage(request.Prompt)], new ChatCompletionOptions { MaxOutputTokenCount = request.MaxTokens ?? 500 }, ct);
        var completion = result.Value;
        return new GenerationResult([], string.Concat(completion.Content.Select(c => c.Text)), completion.Usage?.InputTokenCount ?? 0,
            completion.Usage?.OutputTokenCount ?? 0, ProviderRequestId: RequestId(result.GetRawResponse()));
    }

    public (int Width, int Height) SnapImageSize(string model, int width, int height)
    {
        var (w, h, _) = SizeFor(width, height);
        return (w, h);
    }

    /// <summary>DALL·E 3 makes three sizes; the one nearest the asked shape.</summary>
    private static (int Width, int Height, GeneratedImageSize Size) SizeFor(int width, int height) =>
        width > height * 1.2 ? (1792, 1024, GeneratedImageSize.W1792xH1024)
        : height > width * 1.2 ? (1024, 1792, GeneratedImageSize.W1024xH1792)
        : (1024, 1024, GeneratedImageSize.W1024xH1024);

    private OpenAIClientOptions ClientOptions()
    {
        var settings = options.Get(ProviderName);
        return new OpenAIClientOptions
        {
            Endpoint = new Uri((settings.BaseUrl ?? DefaultBaseUrl).TrimEnd('/')),
            Transport = new HttpClientPipelineTransport(http.CreateClient(ProviderName)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
    }

    private static string? RequestId(PipelineResponse? response) =>
        response?.Headers.TryGetValue("x-request-id", out var id) == true ? id : null;
}
