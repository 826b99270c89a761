using System.Security.Cryptography;
using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BaseAgency.Tests.Support;

/// <summary>
/// The real application on a real PostgreSQL database created for this test run and dropped after it.
/// The server comes from ConnectionStrings__Postgres (scripts/test.sh sets it) or a local default.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public LogCapture Logs { get; } = new();

    /// <summary>Set by fixtures whose tests move time (renewals, timeouts); null means the real clock.</summary>
    public virtual Microsoft.Extensions.Time.Testing.FakeTimeProvider? Clock => null;
    private string _serverConnection = "";
    private readonly string _signingKey = Key();
    private readonly string _encryptionKey = Key();
    private readonly string _apiKeyPepper = Key();

    /// <summary>The app's encryption key (id "test-1"), for tests that rotate it.</summary>
    public byte[] EncryptionKey => Convert.FromBase64String(_encryptionKey);
    private string _database = "";

    /// <summary>Settings a fixture adds to the app's configuration (after the common ones).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    /// <summary>Runs before the app starts (e.g. a fake provider the settings point at).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await BeforeStartAsync();
        // JasperFx's command line would otherwise wait for a command instead of starting the host.
        JasperFxEnvironment.AutoStartHost = true;

        var server = new NpgsqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? "Host=localhost;Port=5432;Database=baseagency;Username=baseagency;Password=baseagency");
        _database = $"baseagency_test_{DateTime.UtcNow:yyyyMMddHHmmss}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        server.Database = "postgres";
        _serverConnection = server.ConnectionString;
        await Execute(_serverConnection, $"create database {_database} template template0 encoding 'UTF8' locale 'C.UTF-8'");

        server.Database = _database;
        // Five test apps run at once on one server (100 connections by default): each keeps its pool well below a fifth.
        server.MaxPoolSize = 18;
        ConnectionString = server.ConnectionString;
        Host = await StartHostAsync([]);
    }

    /// <summary>Stops the app and starts it again on the same database, as after a crash or a deploy.</summary>
    public async Task RestartAsync(params (string Key, string Value)[] settings)
    {
        await Host.DisposeAsync();
        Host = await StartHostAsync(settings);
    }

    /// <summary>
    /// Another node of the same deployment: a second app on the same database, same keys (the caller disposes it). Its
    /// log lines go to a capture of its own: a logger provider takes the scopes of the one host that registers it.
    /// </summary>
    public Task<IAlbaHost> StartAnotherNodeAsync(params (string Key, string Value)[] settings) =>
        StartHostAsync([("ConnectionStrings:Postgres", new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 8 }.ConnectionString),
            .. settings], new LogCapture());

    private async Task<IAlbaHost> StartHostAsync((string Key, string Value)[] overrides, LogCapture? logs = null) =>
        await AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Postgres", ConnectionString);
            web.UseSetting("Auth:SigningKey", _signingKey);
            web.UseSetting("ApiKeys:Pepper", _apiKeyPepper);
            web.UseSetting("Encryption:ActiveKeyId", "test-1");
            web.UseSetting("Encryption:Keys:test-1", _encryptionKey);
            web.UseSetting("Http:CorsOrigins:0", "https://app.example.com");
            web.UseSetting("Providers:Local:Latency", "00:00:00");
            web.UseSetting("Generation:RetryBaseDelay", "00:00:00.050");
            web.UseSetting("Storage:LocalPath", Path.Combine(Path.GetTempPath(), _database, "files"));
            // Tests sign up and submit far faster than any plan allows; the limits have fixtures of their own.
            web.UseSetting("RateLimiting:Enabled", "false");
            foreach (var (key, value) in Settings()) web.UseSetting(key, value);
            foreach (var (key, value) in overrides) web.UseSetting(key, value);
            web.ConfigureServices(services =>
            {
                services.AddSingleton<ILoggerProvider>(logs ?? Logs);
                services.AddSingleton<ScriptedProvider>();
                services.AddSingleton<BaseAgency.Providers.IGenerationProvider>(sp => sp.GetRequiredService<ScriptedProvider>());
                if (Clock is not null) services.AddSingleton<TimeProvider>(Clock);
            });
        });

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await Execute(_serverConnection, $"drop database if exists {_database} with (force)");
        var files = Path.Combine(Path.GetTempPath(), _database);
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
    }

    private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}

/// <summary>A second app, with a clock the tests move by hand, so moving time never disturbs other tests.</summary>
public sealed class ClockedAppFixture : AppFixture
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    public override Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => _clock;
}

[CollectionDefinition(Name)]
public sealed class ClockedAppCollection : ICollectionFixture<ClockedAppFixture>
{
    public const string Name = "clocked app";
}

/// <summary>An app of its own for the restart test, whose local provider takes long enough to be interrupted.</summary>
public sealed class RestartAppFixture : AppFixture
{
    // A worker still busy when the app stops is abandoned after a second, as if the process had died.
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
        [new("Providers:Local:Latency", "00:00:30"), new("Wolverine:DrainTimeout", "00:00:01")];
}

[CollectionDefinition(Name)]
public sealed class RestartAppCollection : ICollectionFixture<RestartAppFixture>
{
    public const string Name = "restart app";
}
