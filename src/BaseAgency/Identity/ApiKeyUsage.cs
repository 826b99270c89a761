using System.Collections.Concurrent;
using BaseAgency.Organizations;
using Marten;
using Marten.Patching;
using Microsoft.Extensions.Options;

namespace BaseAgency.Identity;

/// <summary>What is kept in memory per request made with a key and written in batches, on the keys' last-use interval.</summary>
public interface IKeyUseBatch
{
    /// <summary>Writes what was kept since the last call.</summary>
    Task FlushAsync(CancellationToken ct);
}

/// <summary>
/// Last use of each key, kept in memory and written in batches (one patch per key used since the last flush), so
/// a request made with a key costs no database write. A node that dies loses at most one interval of it.
/// </summary>
public sealed class ApiKeyUsage(IDocumentStore store) : IKeyUseBatch
{
    private ConcurrentDictionary<(Guid Organization, Guid Key), DateTimeOffset> _pending = new();

    public void Touch(Guid organizationId, Guid keyId, DateTimeOffset now) =>
        _pending.AddOrUpdate((organizationId, keyId), now, (_, earlier) => now > earlier ? now : earlier);

    public async Task FlushAsync(CancellationToken ct)
    {
        var batch = Interlocked.Exchange(ref _pending, new());
        foreach (var organization in batch.GroupBy(p => p.Key.Organization))
        {
            await using var session = store.SessionFor(organization.Key);
            // A patch touches only the field, so it never undoes a revocation or rotation committed meanwhile.
            foreach (var ((_, key), at) in organization) session.Patch<ApiKey>(key).Set(k => k.LastUsedAt, (DateTimeOffset?)at);
            await session.SaveChangesAsync(ct);
        }
    }
}

/// <summary>Writes <see cref="ApiKeyUsage"/> (and every other <see cref="IKeyUseBatch"/>) every <see cref="ApiKeyOptions.LastUseFlushInterval"/> and once more on stop.</summary>
public sealed class ApiKeyUsageFlusher(IEnumerable<IKeyUseBatch> batches, IOptions<ApiKeyOptions> options, ILogger<ApiKeyUsageFlusher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.LastUseFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping)) await FlushAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        foreach (var batch in batches)
            try
            {
                await batch.FlushAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not record {Batch}; the next flush records newer uses", batch.GetType().Name);
            }
    }
}
