using System.Security.Cryptography;
using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace BaseAgency.Benchmarks;

/// <summary>The real service on a database of its own (created here, dropped at the end), as the tests host it.</summary>
public sealed class BenchmarkApp : IAsyncDisposable
{
    private readonly string _serverConnection;
    private readonly string _database;

    public IAlbaHost Host { get; private set; } = null!;

    private BenchmarkApp(string serverConnection, string database)
    {
        _serverConnection = serverConnection;
        _database = database;
    }

    public static async Task<BenchmarkApp> StartAsync(int poolSize, params (string Key, string Value)[] settings)
    {
        JasperFxEnvironment.AutoStartHost = true;
        // The test host looks for the app's folder beside the solution; tell it where it is.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_BASEAGENCY", Path.Combine(RepositoryRoot(), "src", "BaseAgency"));
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
                                                       ?? "Host=localhost;Port=5432;Database=baseagency;Username=baseagency;Password=baseagency");
        var database = $"baseagency_bench_{DateTime.UtcNow:yyyyMMddHHmmss}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        server.Database = "postgres";
        var app = new BenchmarkApp(server.ConnectionString, database);
        await app.ExecuteAsync($"create database {database} template template0 encoding 'UTF8' locale 'C.UTF-8'");

        server.Database = database;
        server.MaxPoolSize = poolSize;
        var files = Path.Combine(Path.GetTempPath(), database);
        app.Host = await AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Benchmark");
            web.UseSetting("ConnectionStrings:Postgres", server.ConnectionString);
            web.UseSetting("Auth:SigningKey", Key());
            web.UseSetting("ApiKeys:Pepper", Key());
            web.UseSetting("Encryption:ActiveKeyId", "bench");
            web.UseSetting("Encryption:Keys:bench", Key());
            web.UseSetting("Storage:LocalPath", files);
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings) web.UseSetting(key, value);
        });
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"drop database if exists {_database} with (force)");
        var files = Path.Combine(Path.GetTempPath(), _database);
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BaseAgency.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Latencies in milliseconds, summarised the way the README reports them.</summary>
public sealed class Latencies
{
    private readonly List<double> _samples = [];
    private readonly Lock _lock = new();

    public void Add(double milliseconds)
    {
        lock (_lock) _samples.Add(milliseconds);
    }

    public int Count => _samples.Count;

    public string Summary() => $"p50 {At(0.50),7:F2} ms   p95 {At(0.95),7:F2} ms   p99 {At(0.99),7:F2} ms   max {At(1.0),7:F2} ms";

    /// <summary>The <paramref name="p"/> quantile (0.5 for the median), in milliseconds.</summary>
    public double At(double p)
    {
        var sorted = _samples.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
