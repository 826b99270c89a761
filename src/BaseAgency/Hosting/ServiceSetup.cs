using System.Text.Json;
using System.Text.Json.Serialization;
using BaseAgency.Billing;
using BaseAgency.Features.SignUp;
using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Platform;
using BaseAgency.Providers;
using BaseAgency.RateLimiting;
using BaseAgency.Secrets;
using BaseAgency.Storage;
using BaseAgency.Usage;
using FastEndpoints;
using JasperFx;
using JasperFx.Resources;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.Marten;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Hosting;

/// <summary>Everything the service registers, in the order a reader wants to meet it.</summary>
public static class ServiceSetup
{
    public static void AddBaseAgency(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var env = builder.Environment;

        ServiceSecrets.EnsurePresent(builder);
        builder.Logging.Configure(env);

        var connectionString = config.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "Missing configuration 'ConnectionStrings:Postgres' (environment variable ConnectionStrings__Postgres). " +
                "scripts/run.sh starts a local PostgreSQL and sets it for you.");

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(NpgsqlDataSource.Create(connectionString));

        services.AddMarten(sp => Persistence.ConfigureMarten(sp, env))
            .UseNpgsqlDataSource()
            .InitializeWith<SeedPlans>()
            .IntegrateWithWolverine();

        builder.Host.UseWolverine(opts =>
        {
            // Handlers live here, whichever assembly hosts the app (tests, benchmarks).
            opts.ApplicationAssembly = typeof(ServiceSetup).Assembly;
            opts.Policies.AutoApplyTransactions();
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.UseDurableInboxOnAllListeners();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
            // One node in development and tests starts fast; several nodes elect a leader in production.
            if (!env.IsProduction()) opts.Durability.Mode = DurabilityMode.Solo;
            opts.ConfigureGenerationQueues(config);
            // How long a stopping node waits for running jobs; what is unfinished is resumed by the next one.
            opts.Durability.DrainTimeout = config.GetValue("Wolverine:DrainTimeout", TimeSpan.FromSeconds(30));
        });
        // Schema and queue tables are created at start-up unless the operator applies db/ by hand.
        if (config.GetValue("Database:ApplyChangesOnStartup", true)) services.AddResourceSetupOnStartup();

        services.AddFusionCache().WithDefaultEntryOptions(o => o.Duration = TimeSpan.FromMinutes(1));
        services.AddSingleton<BaseAgency.Caching.CacheInvalidationListener>();
        services.AddSingleton<BaseAgency.Plans.CurrentPlans>();
        services.AddHostedService(sp => sp.GetRequiredService<BaseAgency.Caching.CacheInvalidationListener>());

        services.AddIdentity(config);
        services.AddLedger(config);
        services.AddBilling(config);
        services.AddGeneration(config);
        BaseAgency.Events.EventsSetup.AddOrganizationEvents(services, config);
        services.AddStorage(config);
        services.AddProviders(config);
        BaseAgency.Webhooks.WebhookSetup.AddWebhooks(services, config);
        services.AddHttpConventions(config);
        services.AddRateLimits(config);
        services.AddIdempotency(config, http => http.User.Required().OrganizationId.ToString());
        services.AddAuditTrail(config);
        Recurring<BaseAgency.Platform.PurgeAuditLog>.AddTo(services, TimeSpan.FromDays(1));
        Recurring<BaseAgency.Events.PurgeEvents>.AddTo(services, TimeSpan.FromHours(1));
        services.AddUsage();
        services.AddOpenApiDocument();
        services.AddApiKeyToOpenApi();
        services.AddHealth();

        services.AddFastEndpoints(o => o.IncludeAbstractValidators = false);
        services.AddHostedService<BaseAgency.Platform.SuperAdmins>();
        if (env.IsDevelopment()) services.AddHostedService<SeedDemoOrganization>(); // after Wolverine's
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
    }

    public static void UseBaseAgency(this WebApplication app)
    {
        app.UseHttpConventions();
        app.UseAuthentication();
        app.UseApiRequestCounts();
        app.UseRateLimits();
        app.UseAuthorization();
        app.UseAuditTrail();
        app.UseFastEndpoints(c =>
        {
            c.Endpoints.Configurator = AuditTrail.AttributeSignIns;
            c.Endpoints.RoutePrefix = "api";
            c.Serializer.Options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            Json.Configure(c.Serializer.Options);
            c.Errors.ResponseBuilder = Problems.FromValidationFailures;
            c.Binding.JsonExceptionTransformer = Problems.FromMalformedJson;
        });
        app.MapHealth();
        app.MapOpenApiDocument();
        if (app.Environment.IsDevelopment()) app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app));
    }

    private static void PrintWelcome(WebApplication app)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5080";
        Console.WriteLine($"""

            BASE Agency is running at {url}
              API reference (Scalar): {url}/scalar
              OpenAPI document:       {url}/openapi/v1.json
              Health:                 {url}/api/health
              Demo sign-in:           {SeedDemoOrganization.Email} / {SeedDemoOrganization.Password}
                                      (POST {url}/api/auth/login)

            """);
    }

    private static void Configure(this ILoggingBuilder logging, IHostEnvironment env)
    {
        logging.ClearProviders();
        // Scopes carry the request id into every line written while a request is handled.
        if (env.IsDevelopment())
            logging.AddSimpleConsole(o => { o.IncludeScopes = true; o.SingleLine = true; });
        else
            logging.AddJsonConsole(o => o.IncludeScopes = true);
    }
}
