using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace BaseAgency.Providers.Replicate;

/// <summary>
/// Replicate's HTTP API: a prediction per job on the model's endpoint (POST /v1/models/{owner}/{name}/predictions
/// with <c>Prefer: wait</c>), polled at GET /v1/predictions/{id} until it ends, canceled with
/// POST /v1/predictions/{id}/cancel (<see cref="ICancelsTasks"/>). The prediction id is stored before waiting, so a job restarted after a
/// crash resumes its prediction instead of paying for a second one.
/// </summary>
public sealed class ReplicateProvider(IHttpClientFactory http, IOptionsMonitor<ExternalProviderOptions> options, TimeProvider clock) : IGenerationProvider, IValidatesKeys, ICancelsTasks
{
    public const string ProviderName = "replicate";

    /// <summary>Our model names (the pricing table's) and the Replicate models behind them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Models = new Dictionary<string, string>
    {
        ["flux-schnell"] = "black-forest-labs/flux-schnell",
        ["flux-pro"] = "black-forest-labs/flux-pro",
        ["sdxl"] = "stability-ai/sdxl",
        ["kling-1.5"] = "kwaivgi/kling-v1.5-standard",
        ["minimax"] = "minimax/video-01",
    };

    public string Name => ProviderName;

    private ExternalProviderOptions Options => options.Get(ProviderName);

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct)
    {
        var key = attempt.ApiKey ?? throw ProviderSetup.NoKey(ProviderName);
        var client = http.CreateClient(ProviderName);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Options.Timeout);
        try
        {
            JsonObject? prediction = null;
            if (attempt.TaskId is { } existing)
            {
                prediction = await GetAsync(client, key, existing, deadline.Token);
                if (Status(prediction) is "failed" or "canceled") prediction = null; // start afresh
            }
            if (prediction is null)
            {
                prediction = await CreateAsync(client, key, request, deadline.Token);
                await attempt.RememberTaskAsync(prediction["id"]!.GetValue<string>(), ct);
            }
            attempt.Progress(20);

            while (Status(prediction) is "starting" or "processing")
            {
                await Task.Delay(Options.PollInterval, clock, deadline.Token);
                prediction = await GetAsync(client, key, attempt.TaskId!, deadline.Token);
                attempt.Progress(Status(prediction) == "processing" ? 60 : 30);
            }
            return Result(request, prediction, attempt.TaskId!);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProviderException(ProviderFailureKind.Transient, "provider_timeout",
                $"Replicate did not finish within {Options.Timeout.TotalSeconds:F0} s.", providerRequestId: attempt.TaskId);
        }
        catch (Exception e) when (ProviderHttp.FromTransport("Replicate", e, ct) is { } failure)
        {
            throw failure;
        }
    }

    public async Task ValidateKeyAsync(string apiKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/account");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.CreateClient(ProviderName).SendAsync(request, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "Replicate", ct);
    }

    /// <summary>POST /v1/predictions/{id}/cancel: a prediction that already ended answers with its final state.</summary>
    public async Task CancelTaskAsync(string taskId, string? apiKey, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"v1/predictions/{Uri.EscapeDataString(taskId)}/cancel");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? throw ProviderSetup.NoKey(ProviderName));
        using var response = await http.CreateClient(ProviderName).SendAsync(message, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "Replicate", ct);
    }

    private async Task<JsonObject> CreateAsync(HttpClient client, string key, GenerationRequest request, CancellationToken ct)
    {
        if (!Models.TryGetValue(request.Model, out var model))
            throw new ProviderException(ProviderFailureKind.Permanent, "unknown_model", $"Replicate has no model '{request.Model}' here.");
        using var message = new HttpRequestMessage(HttpMethod.Post, $"v1/models/{model}/predictions")
        {
            Content = JsonContent.Create(new JsonObject { ["input"] = InputFor(request) }),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        message.Headers.Add("Prefer", "wait=30"); // answer at once when the model is quick; otherwise poll
        using var response = await client.SendAsync(message, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "Replicate", ct);
        return await ProviderHttp.ReadJsonAsync(response, "Replicate", ct);
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string key, string id, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v1/predictions/{Uri.EscapeDataString(id)}");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(message, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "Replicate", ct);
        return await ProviderHttp.ReadJsonAsync(response, "Replicate", ct);
    }

    private static JsonObject InputFor(GenerationRequest request)
    {
        var input = new JsonObject { ["prompt"] = request.Prompt, ["seed"] = request.Seed };
        if (request.Type == GenerationType.Video)
        {
            input["duration"] = (int)Math.Round(request.DurationSeconds ?? 5);
            if (request.SourceImageUrl is { } image) input[request.Model == "minimax" ? "first_frame_image" : "start_image"] = image;
        }
        else
        {
            if (request.Width is { } w && request.Height is { } h)
            {
                input["width"] = w;
                input["height"] = h;
                input["aspect_ratio"] = "custom";
            }
            if (request.NegativePrompt is { } negative) input["negative_prompt"] = negative;
            input["output_format"] = "png";
        }
        return input;
    }

    private static string Status(JsonObject prediction) => prediction["status"]?.GetValue<string>() ?? "unknown";

    private static GenerationResult Result(GenerationRequest request, JsonObject prediction, string id)
    {
        switch (Status(prediction))
        {
            case "succeeded":
                var urls = prediction["output"] switch
                {
                    JsonArray many => many.Select(u => u!.GetValue<string>()).ToList(),
                    JsonValue one => [one.GetValue<string>()],
                    _ => throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", "Replicate reported success without an output.", providerRequestId: id),
                };
                var fallback = request.Type == GenerationType.Video ? "mp4" : "png";
                return new GenerationResult(urls.Select(url =>
                {
                    var (type, extension) = ProviderHttp.TypeOf(url, fallback);
                    return new GeneratedFile(type, extension, DownloadUrl: new Uri(url), Width: request.Width, Height: request.Height,
                        DurationSeconds: request.Type == GenerationType.Video ? request.DurationSeconds : null);
                }).ToList(), ProviderRequestId: id);
            case "failed":
                var error = prediction["error"]?.ToString() ?? "unknown error";
                throw error.Contains("NSFW", StringComparison.OrdinalIgnoreCase) || error.Contains("safety", StringComparison.OrdinalIgnoreCase)
                    ? new ProviderException(ProviderFailureKind.Permanent, "content_policy", "Replicate refused the prompt under its content policy.", providerRequestId: id)
                    : new ProviderException(ProviderFailureKind.Transient, "generation_failed", "The model failed on Replicate.", providerRequestId: id);
            case "canceled":
                throw new ProviderException(ProviderFailureKind.Transient, "generation_canceled", "The prediction was canceled on Replicate.", providerRequestId: id);
            default:
                throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", "Replicate answered with an unknown status.", providerRequestId: id);
        }
    }
}
