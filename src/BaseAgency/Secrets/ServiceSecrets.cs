using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BaseAgency.Secrets;

/// <summary>
/// The service's own secrets: the JWT signing key, the key(s) that encrypt provider API keys and the pepper
/// API keys are hashed with.
/// Development generates them once into the git-ignored data folder; anywhere else a missing secret
/// stops start-up with the variable to set.
/// </summary>
public static class ServiceSecrets
{
    public const string SigningKey = "Auth:SigningKey";
    public const string ApiKeyPepper = "ApiKeys:Pepper";
    public const string ActiveEncryptionKeyId = "Encryption:ActiveKeyId";
    public static string EncryptionKey(string id) => $"Encryption:Keys:{id}";

    public static void EnsurePresent(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (builder.Environment.IsDevelopment() && Missing(config).Any())
        {
            var file = Path.GetFullPath(Path.Combine(config["DataDirectory"] ?? ".data", "secrets.json"));
            Generate(file, config);
            config.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        var missing = Missing(config).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                "Missing secret configuration: " + string.Join(", ", missing.Select(k => $"'{k}' (environment variable {k.Replace(":", "__")})")) +
                ". Generate each key with `openssl rand -base64 32`.");
    }

    private static IEnumerable<string> Missing(IConfiguration config)
    {
        if (!IsKey(config[SigningKey])) yield return SigningKey;
        if (!IsKey(config[ApiKeyPepper])) yield return ApiKeyPepper;
        var active = config[ActiveEncryptionKeyId];
        if (string.IsNullOrWhiteSpace(active)) yield return ActiveEncryptionKeyId;
        else if (!IsKey(config[EncryptionKey(active)])) yield return EncryptionKey(active);
    }

    private static bool IsKey(string? base64)
    {
        var buffer = new byte[64];
        return base64 is not null && Convert.TryFromBase64String(base64, buffer, out var length) && length >= 32;
    }

    /// <summary>Writes the secrets the file lacks, keeping those it has (a data folder from before a secret was added).</summary>
    private static void Generate(string file, IConfiguration config)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var existing = File.Exists(file);
        var secrets = existing ? JsonNode.Parse(File.ReadAllText(file))!.AsObject() : new JsonObject();
        if (!existing)
        {
            secrets["Auth"] = new JsonObject { ["SigningKey"] = NewKey() };
            secrets["Encryption"] = new JsonObject
            {
                ["ActiveKeyId"] = "dev-1",
                ["Keys"] = new JsonObject { ["dev-1"] = NewKey() },
            };
        }
        var addPepper = !IsKey(config[ApiKeyPepper]) && secrets["ApiKeys"]?["Pepper"] is null;
        if (addPepper) secrets["ApiKeys"] = new JsonObject { ["Pepper"] = NewKey() };
        if (existing && !addPepper) return;
        File.WriteAllText(file, secrets.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
