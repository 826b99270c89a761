using BaseAgency.Secrets;
using Microsoft.Extensions.Options;

namespace BaseAgency.Storage;

public static class StorageSetup
{
    public static void AddStorage(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<StorageOptions>().Bind(config.GetSection("Storage"))
            .Validate(o => o.Provider != StorageProvider.S3 || !string.IsNullOrWhiteSpace(o.S3.Bucket),
                "Storage:Provider is 'S3' but Storage:S3:Bucket is missing (environment variable Storage__S3__Bucket).")
            .ValidateOnStart();

        services.AddSingleton<IFileStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (options.Provider == StorageProvider.S3) return new S3FileStore(options.S3);
            var root = options.LocalPath ?? Path.Combine(config["DataDirectory"] ?? ".data", "files");
            return new LocalDiskStore(root, Convert.FromBase64String(config[ServiceSecrets.SigningKey]!), options.PublicBaseUrl,
                sp.GetRequiredService<TimeProvider>());
        });
    }
}
