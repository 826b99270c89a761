using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace BaseAgency.Providers.Freepik;

/// <summary>
/// Freepik's Mystic text-to-image API: POST /v1/ai/mystic with the <c>x-freepik-api-key</c> header creates a
/// task (its id is stored before waiting), GET /v1/ai/mystic/{task-id} is polled until COMPLETED, and the
/// generated URLs are downloaded into our storage.
/// </summary>
public sealed class FreepikProvider(IHttpClientFactory http, IOptionsMonitor<ExternalProviderOptions> options, TimeProvider clock) : IGenerationProvider, IValidatesKeys
{
    public const string ProviderName = "freepik";

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
            var task = attempt.TaskId is { } existing ? await GetAsync(client, key, existing, deadline.Token) : null;
            if (task is null || Status(task) == "FAILED")
            {
                task = await CreateAsync(client, key, request, deadline.Token);
                await attempt.RememberTaskAsync(task["task_id"]!.GetValue<string>(), ct);
            }
            while (Status(task) is "CREATED" or "IN_PROGRESS")
            {
                attempt.Progress(Status(task) == "IN_PROGRESS" ? 50 : 20);
                await Task.Delay(Options.PollInterval, clock, deadline.Token);
                task = await GetAsync(client, key, attempt.TaskId!, deadline.Token);
            }
            if (Status(task) != "COMPLETED")
                throw new ProviderException(ProviderFailureKind.Transient, "generation_failed", "The image failed on Freepik.", providerRequestId: attempt.TaskId);
            var urls = task["generated"]?.AsArray().Select(u => u!.GetValue<string>()).ToList() ?? [];
            if (urls.Count == 0)
                throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", "Freepik reported success without an image.", providerRequestId: attempt.TaskId);
            return new GenerationResult(urls.Select(url =>
            {
                var (type, extension) = ProviderHttp.TypeOf(url, "png");
                return new GeneratedFile(type, extension, DownloadUrl: new Uri(url), Width: request.Width, Height: request.Height);
            }).ToList(), ProviderRequestId: attempt.TaskId);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProviderException(ProviderFailureKind.Transient, "provider_timeout", $"Freepik did not finish within {Options.Timeout.TotalSeconds:F0} s.",
                providerRequestId: attempt.TaskId);
        }
        catch (Exception e) when (ProviderHttp.FromTransport("Freepik", e, ct) is { } failure)
        {
            throw failure;
        }
    }

    public async Task ValidateKeyAsync(string apiKey, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "v1/ai/mystic");
        message.Headers.Add("x-freepik-api-key", apiKey);
        using var response = await http.CreateClient(ProviderName).SendAsync(message, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "Freepik", ct);
    }

    private static async Task<JsonObject> CreateAsync(HttpClient client, string key, GenerationRequest request, CancellationToken ct)
    {
        var longest = Math.Max(request.Width ?? 1024, request.Height ?? 1024);
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["resolution"] = longest <= 1024 ? "1k" : longest <= 2048 ? "2k" : "4k",
            ["aspect_ratio"] = AspectOf(request.Width ?? 1024, request.Height ?? 1024),
            ["seed"] = request.Seed % 4294967295,
        };
        if (request.Style is { } style) body["styling"] = new JsonObject { ["style"] = style };
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/ai/mystic") { Content = JsonContent.Create(body) };
        message.Headers.Add("x-freepik-api-key", key);
        using var response = await client.SendAsync(message, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "Freepik", ct);
        return Data(await ProviderHttp.ReadJsonAsync(response, "Freepik", ct));
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string key, string taskId, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v1/ai/mystic/{Uri.EscapeDataString(taskId)}");
        message.Headers.Add("x-freepik-api-key", key);
        using var response = await client.SendAsync(message, ct);
        await ProviderHttp.EnsureSuccessAsync(response, "Freepik", ct);
        return Data(await ProviderHttp.ReadJsonAsync(response, "Freepik", ct));
    }

    private static JsonObject Data(JsonObject body) =>
        body["data"] as JsonObject ?? throw new ProviderException(ProviderFailureKind.Transient, "provider_malformed_response", "Freepik's answer has no data.");

    private static string Status(JsonObject task) => task["status"]?.GetValue<string>() ?? "UNKNOWN";

    /// <summary>Freepik names its aspect ratios ("square_1_1", "widescreen_16_9", ...); the nearest one.</summary>
    private static string AspectOf(int width, int height)
    {
        (string Name, double Ratio)[] known =
        [
            ("square_1_1", 1), ("classic_4_3", 4 / 3.0), ("traditional_3_4", 3 / 4.0), ("widescreen_16_9", 16 / 9.0),
            ("social_story_9_16", 9 / 16.0), ("standard_3_2", 1.5), ("portrait_2_3", 2 / 3.0),
        ];
        var ratio = (double)width / height;
        return known.MinBy(k => Math.Abs(Math.Log(k.Ratio / ratio))).Name;
    }
}
