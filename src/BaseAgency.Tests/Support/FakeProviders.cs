using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BaseAgency.Providers.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace BaseAgency.Tests.Support;

/// <summary>
/// Local stand-ins for the four providers' HTTP APIs, each under its own prefix (/openai, /replicate, /freepik,
/// /elevenlabs) and speaking that provider's wire protocol: paths, auth headers, JSON, async task lifecycles,
/// output URLs served here. Failure modes are chosen by markers in the prompt: [auth] 401, [429] one 429 with
/// Retry-After, [500] always 500, [policy] a content-policy refusal, [malformed] an unreadable body,
/// [slow] a task that never finishes.
/// </summary>
public sealed partial class FakeProviders : IAsyncDisposable
{
    public static string PlatformKey(string provider) => $"platform-{provider}-key";
    public static string CustomerKey(string provider, string id = "1234") => $"customer-{provider}-key-{id}";

    private readonly ConcurrentDictionary<string, bool> _revoked = new();

    /// <summary>The provider no longer accepts this key (it answers 401 to it from now on).</summary>
    public void Revoke(string key) => _revoked[key] = true;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _seen = new();
    private readonly ConcurrentDictionary<string, JsonObject> _tasks = new();
    private int _counter;

    public string BaseUrl { get; private set; } = "";
    private volatile bool _released;

    /// <summary>Lets predictions made with "[hold]" finish (they stay "processing" until then).</summary>
    public void ReleaseHeld()
    {
        _released = true;
        foreach (var prediction in _tasks.Values)
            lock (prediction)
                if (prediction["input"]?["prompt"]?.GetValue<string>().Contains("[hold]") == true) prediction["_slow"] = false;
    }

    /// <summary>The Replicate predictions made for a prompt, oldest first, and their status now.</summary>
    public IReadOnlyList<(string Id, string Status)> PredictionsFor(string prompt) =>
        [.. _tasks.Values.Where(t => t["input"]?["prompt"]?.GetValue<string>() == prompt && t["id"] is not null)
            .Select(t => { lock (t) return (t["id"]!.GetValue<string>(), t["status"]!.GetValue<string>()); }).Order()];

    /// <summary>Every request: provider, method and path, the key it carried, and its JSON body if any.</summary>
    public ConcurrentQueue<(string Provider, string Method, string Path, string? Key, JsonObject? Body)> Requests { get; } = new();

    public FakeProviders()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        MapOutputs(_app);
        MapReplicate(_app.MapGroup("/replicate"));
        MapFreepik(_app.MapGroup("/freepik"));
        MapElevenLabs(_app.MapGroup("/elevenlabs"));
        MapOpenAI(_app.MapGroup("/openai"));
        _app.MapGet("/files/{name}", (string name) => name.EndsWith(".mp4")
            ? Results.Bytes(FakeMp4, "video/mp4")
            : Results.Bytes(Png.Render(name, 1, 64, 48), "image/png"));
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        BaseUrl = ((IServer)_app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public int Count(string provider, string method, string pathStart) =>
        Requests.Count(r => r.Provider == provider && r.Method == method && r.Path.StartsWith(pathStart));

    // ---- Replicate: Bearer token; predictions start, process, then succeed with output URLs ----
    private void MapReplicate(RouteGroupBuilder replicate)
    {
        replicate.MapGet("/v1/account", (HttpContext http) => Auth(http, "replicate", Bearer(http)) ?? Results.Json(new { type = "user", username = "agency" }));
        replicate.MapPost("/v1/models/{owner}/{name}/predictions", async (HttpContext http, string owner, string name) =>
        {
            var body = await Record(http, "replicate", Bearer(http));
            if (Auth(http, "replicate", Bearer(http)) is { } denied) return denied;
            var prompt = body?["input"]?["prompt"]?.GetValue<string>() ?? "";
            if (Scripted(prompt, "replicate") is { } failure) return failure;
            var id = $"pred{Interlocked.Increment(ref _counter):D4}";
            var prediction = new JsonObject
            {
                ["id"] = id, ["model"] = $"{owner}/{name}", ["status"] = "starting", ["input"] = body!["input"]!.DeepClone(),
                ["output"] = null, ["error"] = null, ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
                ["urls"] = new JsonObject { ["get"] = $"{BaseUrl}/replicate/v1/predictions/{id}", ["cancel"] = $"{BaseUrl}/replicate/v1/predictions/{id}/cancel" },
                ["_polls"] = 0, ["_slow"] = prompt.Contains("[slow]") || (prompt.Contains("[hold]") && !_released), ["_video"] = name.Contains("kling") || name.Contains("video"),
            };
            _tasks[id] = prediction;
            return Results.Json(Public(prediction), statusCode: 201);
        });
        replicate.MapGet("/v1/predictions/{id}", async (HttpContext http, string id) =>
        {
            await Record(http, "replicate", Bearer(http));
            if (Auth(http, "replicate", Bearer(http)) is { } denied) return denied;
            if (!_tasks.TryGetValue(id, out var prediction)) return Results.Json(new { detail = "Not found." }, statusCode: 404);
            lock (prediction)
            {
                var polls = prediction["_polls"]!.GetValue<int>() + 1;
                prediction["_polls"] = polls;
                if (prediction["status"]!.GetValue<string>() is "starting" or "processing" && !prediction["_slow"]!.GetValue<bool>())
                {
                    prediction["status"] = polls >= 2 ? "succeeded" : "processing";
                    if (polls >= 2)
                        prediction["output"] = new JsonArray(OutputUrls.GetValueOrDefault(prediction["input"]!["prompt"]!.GetValue<string>())
                            ?? $"{BaseUrl}/files/{id}.{(prediction["_video"]!.GetValue<bool>() ? "mp4" : "png")}");
                }
                return Results.Json(Public(prediction));
            }
        });
        replicate.MapPost("/v1/predictions/{id}/cancel", async (HttpContext http, string id) =>
        {
            await Record(http, "replicate", Bearer(http));
            if (!_tasks.TryGetValue(id, out var prediction)) return Results.Json(new { detail = "Not found." }, statusCode: 404);
            lock (prediction) prediction["status"] = "canceled";
            return Results.Json(Public(prediction));
        });
    }

    // ---- Freepik Mystic: x-freepik-api-key; task CREATED → IN_PROGRESS → COMPLETED with generated URLs ----
    private void MapFreepik(RouteGroupBuilder freepik)
    {
        freepik.MapGet("/v1/ai/mystic", (HttpContext http) =>
            Auth(http, "freepik", http.Request.Headers["x-freepik-api-key"]) ?? Results.Json(new { data = new JsonArray(), meta = new { } }));
        freepik.MapPost("/v1/ai/mystic", async (HttpContext http) =>
        {
            var key = http.Request.Headers["x-freepik-api-key"].ToString();
            var body = await Record(http, "freepik", key);
            if (Auth(http, "freepik", key) is { } denied) return denied;
            if (Scripted(body?["prompt"]?.GetValue<string>() ?? "", "freepik") is { } failure) return failure;
            var id = Guid.NewGuid().ToString();
            _tasks[id] = new JsonObject
            {
                ["task_id"] = id, ["status"] = "CREATED", ["generated"] = new JsonArray(), ["_polls"] = 0,
                ["_slow"] = body!["prompt"]!.GetValue<string>().Contains("[slow]"),
            };
            return Results.Json(new { data = new { task_id = id, status = "CREATED", generated = Array.Empty<string>() } });
        });
        freepik.MapGet("/v1/ai/mystic/{id}", async (HttpContext http, string id) =>
        {
            var key = http.Request.Headers["x-freepik-api-key"].ToString();
            await Record(http, "freepik", key);
            if (Auth(http, "freepik", key) is { } denied) return denied;
            if (!_tasks.TryGetValue(id, out var task)) return Results.Json(new { message = "Not found" }, statusCode: 404);
            lock (task)
            {
                var polls = task["_polls"]!.GetValue<int>() + 1;
                task["_polls"] = polls;
                task["status"] = polls >= 2 && !task["_slow"]!.GetValue<bool>() ? "COMPLETED" : "IN_PROGRESS";
                if (polls >= 2) task["generated"] = new JsonArray($"{BaseUrl}/files/{id}.png");
                return Results.Json(new { data = new { task_id = id, status = task["status"]!.GetValue<string>(), generated = task["generated"]!.DeepClone() } });
            }
        });
    }

    // ---- ElevenLabs: xi-api-key; text to speech answers MP3 bytes ----
    private void MapElevenLabs(RouteGroupBuilder elevenlabs)
    {
        elevenlabs.MapGet("/v1/user", (HttpContext http) =>
            Auth(http, "elevenlabs", http.Request.Headers["xi-api-key"]) ?? Results.Json(new { subscription = new { tier = "creator" } }));
        elevenlabs.MapPost("/v1/text-to-speech/{voice}", async (HttpContext http, string voice) =>
        {
            var key = http.Request.Headers["xi-api-key"].ToString();
            var body = await Record(http, "elevenlabs", key);
            if (Auth(http, "elevenlabs", key) is { } denied) return denied;
            if (Scripted(body?["text"]?.GetValue<string>() ?? "", "elevenlabs") is { } failure) return failure;
            http.Response.Headers["request-id"] = $"el-{Guid.NewGuid():N}";
            return Results.Bytes(new byte[16_000], "audio/mpeg"); // one second at 128 kb/s
        });
    }

    // ---- OpenAI: Bearer token; images (b64_json), speech (MP3), chat completions with usage ----
    private void MapOpenAI(RouteGroupBuilder openai)
    {
        openai.MapGet("/v1/models", (HttpContext http) =>
            Auth(http, "openai", Bearer(http)) ?? Results.Json(new { @object = "list", data = new[] { new { id = "dall-e-3", @object = "model", created = 1, owned_by = "system" } } }));
        openai.MapPost("/v1/images/generations", async (HttpContext http) =>
        {
            var body = await Record(http, "openai", Bearer(http));
            if (Auth(http, "openai", Bearer(http)) is { } denied) return denied;
            if (Scripted(body?["prompt"]?.GetValue<string>() ?? "", "openai") is { } failure) return failure;
            http.Response.Headers["x-request-id"] = $"req_{Guid.NewGuid():N}";
            var size = body!["size"]?.GetValue<string>() ?? "1024x1024";
            var (w, h) = (int.Parse(size.Split('x')[0]), int.Parse(size.Split('x')[1]));
            return Results.Json(new
            {
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                data = new[] { new { b64_json = Convert.ToBase64String(Png.Render(body["prompt"]!.GetValue<string>(), 1, w / 16, h / 16)), revised_prompt = "revised" } },
            });
        });
        openai.MapPost("/v1/audio/speech", async (HttpContext http) =>
        {
            var body = await Record(http, "openai", Bearer(http));
            if (Auth(http, "openai", Bearer(http)) is { } denied) return denied;
            if (Scripted(body?["input"]?.GetValue<string>() ?? "", "openai") is { } failure) return failure;
            http.Response.Headers["x-request-id"] = $"req_{Guid.NewGuid():N}";
            return Results.Bytes(new byte[32_000], "audio/mpeg"); // two seconds at 128 kb/s
        });
        openai.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = await Record(http, "openai", Bearer(http));
            if (Auth(http, "openai", Bearer(http)) is { } denied) return denied;
            var prompt = body?["messages"]?[0]?["content"]?.ToString() ?? "";
            if (Scripted(prompt, "openai") is { } failure) return failure;
            http.Response.Headers["x-request-id"] = $"req_{Guid.NewGuid():N}";
            return Results.Json(new
            {
                id = $"chatcmpl-{Guid.NewGuid():N}", @object = "chat.completion", created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model = body!["model"]!.GetValue<string>(),
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "Fresh bread, every morning." }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 12, completion_tokens = 988, total_tokens = 1000 },
            });
        });
    }

    private static string Bearer(HttpContext http) => http.Request.Headers.Authorization.ToString().Replace("Bearer ", "");

    private IResult? Auth(HttpContext http, string provider, string? key) =>
        key is not null && !_revoked.ContainsKey(key) && (key == PlatformKey(provider) || key.StartsWith(CustomerKey(provider, "")))
            ? null
            : provider switch
            {
                "openai" => Results.Json(new { error = new { message = "Incorrect API key provided.", type = "invalid_request_error", code = "invalid_api_key" } }, statusCode: 401),
                "elevenlabs" => Results.Json(new { detail = new { status = "invalid_api_key", message = "Invalid API key" } }, statusCode: 401),
                _ => Results.Json(new { detail = "Unauthenticated" }, statusCode: 401),
            };

    private async Task<JsonObject?> Record(HttpContext http, string provider, string? key)
    {
        JsonObject? body = null;
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
            body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) as JsonObject;
        Requests.Enqueue((provider, http.Request.Method, http.Request.Path.Value!, key, body));
        return body;
    }

    /// <summary>The failure a prompt asks for, in the provider's own error shape.</summary>
    private IResult? Scripted(string prompt, string provider)
    {
        var calls = _seen.AddOrUpdate($"{provider}:{prompt}", 1, (_, n) => n + 1);
        if (prompt.Contains("[auth]")) return Results.Json(new { detail = "Unauthenticated" }, statusCode: 401);
        if (prompt.Contains("[429]") && calls == 1)
            return new WithHeader(Results.Json(new { detail = "Request was throttled." }, statusCode: 429), "Retry-After", "1");
        if (prompt.Contains("[500]")) return Results.Json(new { detail = "Internal server error" }, statusCode: 500);
        if (prompt.Contains("[policy]"))
            return provider == "openai"
                ? Results.Json(new { error = new { code = "content_policy_violation", message = "Your request was rejected as a result of our safety system.", type = "invalid_request_error" } }, statusCode: 400)
                : Results.Json(new { detail = "Prompt flagged by the safety checker (NSFW content)." }, statusCode: 422);
        if (prompt.Contains("[malformed]")) return Results.Text("{\"id\": \"broken", "application/json");
        return null;
    }

    private static JsonObject Public(JsonObject prediction)
    {
        var copy = prediction.DeepClone().AsObject();
        foreach (var key in copy.Select(p => p.Key).Where(k => k.StartsWith('_')).ToList()) copy.Remove(key);
        return copy;
    }

    private static readonly byte[] FakeMp4 = [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'m', (byte)'p', (byte)'4', (byte)'2', 0, 0, 0, 0, (byte)'m', (byte)'p', (byte)'4', (byte)'2', (byte)'i', (byte)'s', (byte)'o', (byte)'m'];

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers[name] = value;
            return inner.ExecuteAsync(http);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The app with every external provider pointed at <see cref="FakeProviders"/> (ElevenLabs has no platform key).</summary>
public sealed class ProvidersAppFixture : AppFixture
{
    public FakeProviders Fakes { get; } = new();

    protected override Task BeforeStartAsync() => Fakes.StartAsync();

    protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("Wolverine:DrainTimeout", "00:00:01"); // a restart abandons running jobs, as a crash would
        // The fake serves outputs over plain http on loopback (Downloads.OutputTests covers the refusals of a strict setup).
        yield return new("Providers:Downloads:AllowHttp", "true");
        yield return new("Providers:Downloads:AllowPrivateNetworks", "true");
        yield return new("Providers:Replicate:DownloadHosts:0", "127.0.0.1");
        yield return new("Providers:Freepik:DownloadHosts:0", "127.0.0.1");
        foreach (var (name, section) in new[] { ("openai", "OpenAI"), ("replicate", "Replicate"), ("freepik", "Freepik"), ("elevenlabs", "ElevenLabs") })
        {
            yield return new($"Providers:{section}:BaseUrl", name == "openai" ? $"{Fakes.BaseUrl}/openai/v1" : $"{Fakes.BaseUrl}/{name}");
            yield return new($"Providers:{section}:PollInterval", "00:00:00.050");
            yield return new($"Providers:{section}:RetryDelay", "00:00:00.050");
            if (name != "elevenlabs") yield return new($"Providers:{section}:ApiKey", FakeProviders.PlatformKey(name));
            if (name == "freepik")
            {
                yield return new($"Providers:{section}:Timeout", "00:00:01");
                yield return new($"Providers:{section}:BreakerMinimumThroughput", "4");
                yield return new($"Providers:{section}:BreakDuration", "00:00:02");
            }
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Fakes.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ProvidersAppCollection : ICollectionFixture<ProvidersAppFixture>
{
    public const string Name = "providers app";
}
