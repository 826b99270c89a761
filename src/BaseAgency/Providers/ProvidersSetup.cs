using BaseAgency.Providers.Local;

namespace BaseAgency.Providers;

public static class ProvidersSetup
{
    public static void AddProviders(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<LocalProviderOptions>().Bind(config.GetSection("Providers:Local"));
        if (config.GetValue("Providers:Local:Enabled", true)) services.AddSingleton<IGenerationProvider, LocalProvider>();
    }
}
