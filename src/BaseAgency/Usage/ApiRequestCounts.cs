using BaseAgency.Identity;
using Npgsql;

namespace BaseAgency.Usage;

/// <summary>One key's requests on one UTC day, made as the member who created the key.</summary>
public readonly record struct ApiRequestKey(Guid OrganizationId, DateOnly Day, Guid UserId, Guid ApiKeyId);

/// <summary>
/// Requests made with an API key and how many were errors (answers of 400 and above), counted in memory and added to
/// <see cref="UsageCounters"/> in batches with the keys' last use (<see cref="ApiKeyUsageFlusher"/>): a request costs no
/// database write. A node that dies loses at most one interval of counts.
/// </summary>
public sealed class ApiRequestCounts(NpgsqlDataSource database, Marten.IDocumentStore store, TimeProvider clock) : IKeyUseBatch
{
    // Swapped whole at each flush. A lock rather than a concurrent map: an increment can never land in a batch already being written.
    private readonly Lock _gate = new();
    private Dictionary<ApiRequestKey, (long Requests, long Errors)> _pending = [];

    /// <summary>Counts every answer to a request made with a key, once it is complete (its status final, whatever wrote it).</summary>
    public Task CountAsync(HttpContext http, RequestDelegate next)
    {
        http.Response.OnCompleted(() =>
        {
            if (http.User.ApiKeyId() is { } keyId && http.User.UserId() is { } userId && http.User.OrganizationId() is { } organizationId)
                Add(new ApiRequestKey(organizationId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), userId, keyId), 1,
                    http.Response.StatusCode >= 400 ? 1 : 0);
            return Task.CompletedTask;
        });
        return next(http);
    }

    /// <summary>Requests counted on this node and not yet written, for <paramref name="organizationId"/> on <paramref name="day"/>.</summary>
    public long Unwritten(Guid organizationId, DateOnly day)
    {
        lock (_gate) return _pending.Where(p => p.Key.OrganizationId == organizationId && p.Key.Day == day).Sum(p => p.Value.Requests);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        Dictionary<ApiRequestKey, (long Requests, long Errors)> batch;
        lock (_gate) (batch, _pending) = (_pending, []);
        if (batch.Count == 0) return;
        try
        {
            await WriteAsync(batch, ct);
        }
        catch
        {
            // Kept for the next flush rather than lost: counts are added, so writing them later is just as right.
            foreach (var (key, (requests, errors)) in batch) Add(key, requests, errors);
            throw;
        }
    }

    private void Add(ApiRequestKey key, long requests, long errors)
    {
        lock (_gate)
        {
            var (r, e) = _pending.GetValueOrDefault(key);
            _pending[key] = (r + requests, e + errors);
        }
    }

    private async Task WriteAsync(Dictionary<ApiRequestKey, (long Requests, long Errors)> batch, CancellationToken ct)
    {
        // Keys of one member on one day share their day's rows (and all days of a month its month's): summed here, since one statement
        // may add to a row only once.
        var rows = batch
            .SelectMany(p => UsageCounters.RowsOf(new UsageSource(p.Key.OrganizationId, p.Key.Day, p.Key.UserId, p.Key.ApiKeyId, "", "", ""))
                .Select(row => (p.Key.OrganizationId, Row: row, p.Value.Requests, p.Value.Errors)))
            .GroupBy(r => (r.OrganizationId, r.Row))
            .Select(g => (g.Key.OrganizationId, g.Key.Row, Requests: g.Sum(r => r.Requests), Errors: g.Sum(r => r.Errors)))
            // Ordered by key, so two nodes flushing at once lock rows in the same order.
            .OrderBy(r => r.OrganizationId).ThenBy(r => r.Row.Scope).ThenBy(r => r.Row.Dimension).ThenBy(r => r.Row.Span).ThenBy(r => r.Row.Day)
            .ThenBy(r => r.Row.Key, StringComparer.Ordinal)
            .ToList();
        await using var command = database.CreateCommand(
            $"insert into {store.Options.DatabaseSchemaName}.{UsageCounters.TableName} as u " +
            "(organization_id, user_scope, dimension, span, day, key, api_requests, api_errors) " +
            "select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::text[], $7::bigint[], $8::bigint[]) " +
            $"on conflict ({UsageCounters.ConflictColumns}) do update set " +
            "api_requests = u.api_requests + excluded.api_requests, api_errors = u.api_errors + excluded.api_errors");
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.OrganizationId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Row.Scope).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => UsageCounters.NameOf(r.Row.Dimension)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => UsageCounters.NameOf(r.Row.Span)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Row.Day).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Row.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Requests).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Errors).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }
}
