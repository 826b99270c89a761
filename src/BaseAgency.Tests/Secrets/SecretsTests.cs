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
}
