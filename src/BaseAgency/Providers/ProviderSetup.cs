using BaseAgency.Http;
using BaseAgency.Providers.Keys;
using BaseAgency.Providers.Local;
using BaseAgency.Providers.Replicate;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BaseAgency.Providers;

public static class ProviderSetup
{
    /// <summary>The external providers, their configuration section and where their API lives by default.</summary>
    public static readonly IReadOnlyDictionary<string, (string Section, string BaseUrl)> External = new Dictionary<string, (string, string)>
    {
        ["openai"] = ("OpenAI", "https://api.openai.com/v1/"),
        [ReplicateProvider.ProviderName] = ("Replicate", "https://api.replicate.com/"),
        ["freepik"] = ("Freepik", "https://api.freepik.com/"),
        ["elevenlabs"] = ("ElevenLabs", "https://api.elevenlabs.io/"),
    };

    public static ProviderException NoKey(string provider) =>
        new(ProviderFailureKind.Permanent, "provider_not_configured", $"No API key for {provider}: add one (POST /api/provider-keys) or ask the operator to.");

    public static void AddProviders(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<LocalProviderOptions>().Bind(config.GetSection("Providers:Local"));
        if (config.GetValue("Providers:Local:Enabled", true)) services.AddSingleton<IGenerationProvider, LocalProvider>();

        services.AddSingleton<ProviderHealth>();
        services.AddSingleton<KeyVault>();
        services.AddSingleton<ProviderCredentials>();
        foreach (var (name, (section, baseUrl)) in External)
        {
            services.AddOptions<ExternalProviderOptions>(name).Bind(config.GetSection($"Providers:{section}"));
            // Timeouts, retries on 429/5xx honouring Retry-After (never for POSTs, which could pay twice) and a
            // circuit breaker per provider and credential, from Microsoft.Extensions.Http.Resilience: one pipeline
            // instance per key the request carries, named by the key's hash, so one organization's failing key
            // opens only its own breaker (see ProviderCredential for the keys that share one without a breaker).
            services.AddHttpClient(name, (sp, client) =>
                {
                    var options = sp.GetRequiredService<IOptionsMonitor<ExternalProviderOptions>>().Get(name);
                    client.BaseAddress = new Uri((options.BaseUrl ?? baseUrl).TrimEnd('/') + "/");
                    client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times requests out
                })
                .AddResilienceHandler("provider", (pipeline, context) =>
                {
                    var credential = context.InstanceName;
                    var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ExternalProviderOptions>>().Get(name);
                    var health = context.ServiceProvider.GetRequiredService<ProviderHealth>();
                    pipeline.AddTimeout(TimeSpan.FromMinutes(3));
                    var retry = new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        Delay = options.RetryDelay,
                        BackoffType = Polly.DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                    };
                    retry.DisableForUnsafeHttpMethods();
                    pipeline.AddRetry(retry);
                    if (credential != ProviderCredential.UncheckedId)
                        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                        {
                            FailureRatio = 0.5, MinimumThroughput = options.BreakerMinimumThroughput, SamplingDuration = TimeSpan.FromSeconds(60),
                            BreakDuration = options.BreakDuration, StateProvider = health.CircuitOf(name, credential),
                            OnOpened = args => { health.Opened(name, credential, args.BreakDuration); return ValueTask.CompletedTask; },
                            OnClosed = _ => { health.Closed(name, credential); return ValueTask.CompletedTask; },
                        });
                    pipeline.AddTimeout(TimeSpan.FromSeconds(60)); // each attempt
                })
                .SelectPipelineBy(sp =>
                {
                    var credentials = sp.GetRequiredService<ProviderCredentials>();
                    return request => credentials.IdOf(name, KeyOf(request));
                });
        }

        services.AddOptions<DownloadOptions>().Bind(config.GetSection(DownloadOptions.Section)).Configure(o =>
            {
                foreach (var (name, (section, _)) in External)
                    o.Hosts[name] = config.GetSection($"Providers:{section}:DownloadHosts").Get<string[]>() ?? DownloadOptions.DefaultHosts[name];
            })
            .Validate(o => Enum.GetValues<GenerationType>().All(t => o.MaxBytes.GetValueOrDefault(t) > 0), "Providers:Downloads:MaxBytes must be positive for every type.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Providers:Downloads:Timeout must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ProviderDownloads>();
        services.AddHttpClient(ProviderDownloads.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan) // DownloadOptions.Timeout, body included
            .ConfigurePrimaryHttpMessageHandler(sp =>
                OutboundNetwork.Handler(sp.GetRequiredService<IOptions<DownloadOptions>>().Value.AllowPrivateNetworks, "provider downloads"));

        services.AddSingleton<IGenerationProvider, OpenAI.OpenAIProvider>();
        services.AddSingleton<IGenerationProvider, ReplicateProvider>();
        services.AddSingleton<IGenerationProvider, Freepik.FreepikProvider>();
        services.AddSingleton<IGenerationProvider, ElevenLabs.ElevenLabsProvider>();
    }

    /// <summary>The key a provider request carries, in whichever header its provider reads (Bearer, Freepik's, ElevenLabs').</summary>
    private static string? KeyOf(HttpRequestMessage request)
    {
        if (request.Headers.Authorization?.Parameter is { Length: > 0 } bearer) return bearer;
        foreach (var header in CredentialHeaders)
            if (request.Headers.TryGetValues(header, out var values)) return values.FirstOrDefault();
        return null;
    }

    private static readonly string[] CredentialHeaders = ["x-freepik-api-key", "xi-api-key"];
}
