using BaseAgency.Secrets;
using Microsoft.AspNetCore.Builder;

namespace BaseAgency.Tests.Secrets;

public sealed class SecretsTests
{
    [Fact]
    public void Production_without_secrets_refuses_to_start_and_names_the_variables()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Configuration["Auth:SigningKey"] = null;

        var error = Should.Throw<InvalidOperationException>(() => ServiceSecrets.EnsurePresent(builder));
        error.Message.ShouldContain("Auth__SigningKey");
        error.Message.ShouldContain("Encryption__ActiveKeyId");
    }

    [Fact]
    public void A_key_shorter_than_32_bytes_is_refused()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
        builder.Configuration["Auth:SigningKey"] = Convert.ToBase64String(new byte[16]);
        builder.Configuration["Encryption:ActiveKeyId"] = "k1";
        builder.Configuration["Encryption:Keys:k1"] = Convert.ToBase64String(new byte[32]);

        Should.Throw<InvalidOperationException>(() => ServiceSecrets.EnsurePresent(builder)).Message.ShouldContain("Auth__SigningKey");
    }

    [Fact]
    public void Development_generates_its_secrets_once_into_the_data_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ba-secrets-{Guid.NewGuid():N}");
        try
        {
            string? first = null;
            for (var i = 0; i < 2; i++)
            {
                var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [] });
                builder.Configuration["DataDirectory"] = folder;
                ServiceSecrets.EnsurePresent(builder);
                var key = builder.Configuration["Auth:SigningKey"];
                key.ShouldNotBeNullOrWhiteSpace();
                first ??= key;
                key.ShouldBe(first);
            }
            File.Exists(Path.Combine(folder, "secrets.json")).ShouldBeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Development_adds_a_missing_api_key_pepper_and_keeps_the_secrets_it_had()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ba-secrets-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            var key = Convert.ToBase64String(new byte[32]);
            var before = new System.Text.Json.Nodes.JsonObject
            {
                ["Auth"] = new System.Text.Json.Nodes.JsonObject { ["SigningKey"] = key },
                ["Encryption"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["ActiveKeyId"] = "dev-1", ["Keys"] = new System.Text.Json.Nodes.JsonObject { ["dev-1"] = key },
                },
            };
            File.WriteAllText(Path.Combine(folder, "secrets.json"), before.ToJsonString());
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [] });
            builder.Configuration["DataDirectory"] = folder;

            ServiceSecrets.EnsurePresent(builder);
            builder.Configuration["Auth:SigningKey"].ShouldBe(key);
            Convert.FromBase64String(builder.Configuration[ServiceSecrets.ApiKeyPepper]!).Length.ShouldBe(32);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
