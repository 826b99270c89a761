using BaseAgency.Generations;
using BaseAgency.Identity;
using Marten;

namespace BaseAgency.Usage;

public static class UsageSetup
{
    public static void AddUsage(this IServiceCollection services)
    {
        services.AddSingleton<ApiRequestCounts>();
        services.AddSingleton<IKeyUseBatch>(sp => sp.GetRequiredService<ApiRequestCounts>());
        services.AddSingleton<UsageReports>();
    }

    /// <summary>The counters' tables, created and updated at start-up with Marten's own schema (and in db/marten.sql).</summary>
    public static void ConfigureUsage(this StoreOptions opts)
    {
        opts.Storage.ExtendedSchemaObjects.Add(UsageCounters.Table(opts.DatabaseSchemaName));
        opts.Storage.ExtendedSchemaObjects.Add(UsageCounters.StorageTable(opts.DatabaseSchemaName));
        opts.Listeners.Add(new CountSubmittedJobs());
    }

    /// <summary>
    /// Counts a job as submitted in the transaction that inserts it, which happens once per job (a replayed request finds the
    /// job instead). A listener rather than a call in the shared submission code: that code is in a folder this one reads.
    /// </summary>
    private sealed class CountSubmittedJobs : DocumentSessionListenerBase
    {
        public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            foreach (var job in session.PendingChanges.InsertsFor<GenerationJob>().ToList()) UsageCounters.Count(session, job);
            return Task.CompletedTask;
        }
    }

    /// <summary>After authentication, so the answer is counted against the key that made the request.</summary>
    public static void UseApiRequestCounts(this WebApplication app) =>
        app.Use(app.Services.GetRequiredService<ApiRequestCounts>().CountAsync);
}
