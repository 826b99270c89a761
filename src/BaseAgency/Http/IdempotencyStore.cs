using Marten;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BaseAgency.Http;

/// <summary>Configuration section "Idempotency".</summary>
public sealed class IdempotencyOptions
{
    /// <summary>How long a key and its answer are kept; after that the key is forgotten.</summary>
    public TimeSpan KeyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a claim lasts without being renewed. A running request renews it every third of this; a request
    /// whose process died stops renewing, and a retry with its key may take it over once the lease has run out.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>The outcome of claiming a key: this request runs (with its token), or the verdict on the stored one.</summary>
public sealed record IdempotencyClaim(Guid? Token, IdempotencyVerdict? Verdict);

/// <summary>
/// The keys in PostgreSQL. The primary key (scope, key) serializes racing requests: exactly one INSERT
/// claims a key; a take-over replaces the stored claim only if it is still the one the decision was made on.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource database, IDocumentStore store, IdempotencyOptions options, TimeProvider clock,
    ILogger<IdempotencyStore> log)
{
    public const string TableName = "idempotency_keys";

    // Each claim forgets at most this many expired keys, which keeps the table at about a retention's worth of keys.
    private const int ForgetPerClaim = 100;

    private readonly string _table = $"{store.Options.DatabaseSchemaName}.{TableName}";

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName));
        table.AddColumn<string>("scope").AsPrimaryKey();
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn<string>("fingerprint").NotNull();
        table.AddColumn<Guid>("token").NotNull();
        table.AddColumn<DateTimeOffset>("lease_until").NotNull();
        table.AddColumn<DateTimeOffset>("expires_at").NotNull();
        table.AddColumn<int>("status");
        table.AddColumn<string>("content_type");
        table.AddColumn<string>("location");
        table.AddColumn("body", "bytea");
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_expires_at") { Columns = ["expires_at"] });
        return table;
    }

    public async Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, CancellationToken ct)
    {
        // A key deleted between our INSERT and our read (its request failed) is simply claimed on the next turn.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var token = Guid.CreateVersion7();
            if (await InsertAsync(scope, key, fingerprint, token, ct)) return new IdempotencyClaim(token, null);
            if (await LoadAsync(scope, key, ct) is not { } stored) continue;
            var verdict = IdempotencyRules.Decide(stored, fingerprint, clock.GetUtcNow());
            if (verdict is not IdempotencyVerdict.TakeOver) return new IdempotencyClaim(null, verdict);
            if (await TakeOverAsync(scope, key, fingerprint, stored.Token, token, ct)) return new IdempotencyClaim(token, null);
        }
        return new IdempotencyClaim(null, new IdempotencyVerdict.InFlight());
    }

    public async Task CompleteAsync(string scope, string key, Guid token, StoredAnswer answer)
    {
        await using var command = database.CreateCommand(
            $"update {_table} set status = $4, content_type = $5, location = $6, body = $7 where scope = $1 and key = $2 and token = $3");
        Add(command.Parameters, scope, key, token);
        command.Parameters.Add(new NpgsqlParameter { Value = answer.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)answer.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)answer.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = answer.Body });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Renews the claim's lease until <paramref name="stop"/>, so a slow request keeps its key and only a dead one loses it.</summary>
    public async Task KeepAliveAsync(string scope, string key, Guid token, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Lease / 3, clock, stop);
                await using var command = database.CreateCommand($"update {_table} set lease_until = $4 where scope = $1 and key = $2 and token = $3");
                Add(command.Parameters, scope, key, token);
                command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() + options.Lease });
                await command.ExecuteNonQueryAsync(stop);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // The request has finished: nothing more to renew.
        }
        catch (Exception e)
        {
            // The request itself goes on; its key can only be taken over sooner.
            log.LogWarning(e, "Could not renew the lease of an Idempotency-Key");
        }
    }

    /// <summary>Forgets a claim whose request gave no answer worth keeping, so the client may retry with the same key.</summary>
    public async Task ReleaseAsync(string scope, string key, Guid token)
    {
        await using var command = database.CreateCommand($"delete from {_table} where scope = $1 and key = $2 and token = $3");
        Add(command.Parameters, scope, key, token);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task<bool> InsertAsync(string scope, string key, string fingerprint, Guid token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var batch = database.CreateBatch();
        // SKIP LOCKED: claims running at once forget different keys instead of queueing on the same rows.
        var forget = new NpgsqlBatchCommand(
            $"delete from {_table} where (scope, key) in " +
            $"(select scope, key from {_table} where expires_at <= $1 order by expires_at limit {ForgetPerClaim} for update skip locked)");
        forget.Parameters.Add(new NpgsqlParameter { Value = now });
        var insert = new NpgsqlBatchCommand(
            $"insert into {_table} (scope, key, token, fingerprint, lease_until, expires_at) values ($1, $2, $3, $4, $5, $6) on conflict do nothing");
        AddClaim(insert.Parameters, scope, key, token, fingerprint, now);
        batch.BatchCommands.Add(forget);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(ct);
        return insert.RecordsAffected == 1;
    }

    private async Task<bool> TakeOverAsync(string scope, string key, string fingerprint, Guid previous, Guid token, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"update {_table} set token = $3, fingerprint = $4, lease_until = $5, expires_at = $6, " +
            "status = null, content_type = null, location = null, body = null where scope = $1 and key = $2 and token = $7");
        AddClaim(command.Parameters, scope, key, token, fingerprint, clock.GetUtcNow());
        command.Parameters.Add(new NpgsqlParameter { Value = previous });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<IdempotencyRecord?> LoadAsync(string scope, string key, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select fingerprint, token, lease_until, expires_at, status, content_type, location, body from {_table} where scope = $1 and key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var answer = await reader.IsDBNullAsync(4, ct)
            ? null
            : new StoredAnswer(reader.GetInt32(4), await reader.IsDBNullAsync(5, ct) ? null : reader.GetString(5),
                await reader.IsDBNullAsync(6, ct) ? null : reader.GetString(6), reader.GetFieldValue<byte[]>(7));
        return new IdempotencyRecord(reader.GetString(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTimeOffset>(3), answer);
    }

    private void AddClaim(NpgsqlParameterCollection parameters, string scope, string key, Guid token, string fingerprint, DateTimeOffset now)
    {
        Add(parameters, scope, key, token);
        parameters.Add(new NpgsqlParameter { Value = fingerprint });
        parameters.Add(new NpgsqlParameter { Value = now + options.Lease });
        parameters.Add(new NpgsqlParameter { Value = now + options.KeyRetention });
    }

    private static void Add(NpgsqlParameterCollection parameters, string scope, string key, Guid token)
    {
        parameters.Add(new NpgsqlParameter { Value = scope });
        parameters.Add(new NpgsqlParameter { Value = key });
        parameters.Add(new NpgsqlParameter { Value = token });
    }
}
