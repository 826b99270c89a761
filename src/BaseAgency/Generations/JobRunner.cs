using System.Diagnostics;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using BaseAgency.Storage;
using Marten;
using JasperFx;
using Microsoft.Extensions.Options;

namespace BaseAgency.Generations;

/// <summary>
/// Runs one job from its durable queue. Each step commits before the next begins: the attempt is counted
/// before the provider is called, the provider's task id is stored before it is waited on, and the result
/// is stored, the credits captured and the job completed in one transaction. So a crash at any point
/// leaves a job that the redelivered message resumes (by the provider's task id where it has one), and
/// a job is never charged twice. Transient failures are retried with exponential backoff up to the job's
/// attempts; permanent ones fail at once; a failed or canceled job's reservation is released.
/// </summary>
public sealed class RunGenerationJobHandler(
    IDocumentStore store,
    IEnumerable<IGenerationProvider> providers,
    ProviderCredentials credentials,
    ProviderHealth health,
    IFileStore files,
    CreditLedger ledger,
    JobUpdates updates,
    IHttpClientFactory http,
    IOptions<GenerationOptions> options,
    TimeProvider clock,
    ILogger<RunGenerationJobHandler> log)
{
    public async Task Handle(RunGenerationJob message, CancellationToken ct)
    {
        var tenant = Tenancy.TenantOf(message.OrganizationId);
        while (true)
        {
            var job = await LoadAsync(tenant, message.JobId, ct);
            if (job is null || job.IsFinished) return;
            if (await ReservationClosedAsync(job, ct))
            {
                // Its credits went back (the reservation timed out): the provider is not asked to work for free.
                await FailAsync(job, "reservation_expired", "The job waited longer than its credit reservation lasts.", ct);
                return;
            }
            if (job.Attempts >= job.MaxAttempts)
            {
                await FailAsync(job, "attempts_exhausted", job.ErrorMessage ?? "The job did not finish within its attempts.", ct);
                return;
            }

            job = await SaveAsync(job with
            {
                Status = JobStatus.Processing,
                Attempts = job.Attempts + 1,
                StartedAt = job.StartedAt ?? clock.GetUtcNow(),
            }, ct);
            if (job is null) continue; // changed meanwhile (canceled): look again

            var outcome = await AttemptAsync(job, ct);
            if (outcome is not { } retryAfter) return;
            await DelayAsync(retryAfter, ct);
        }
    }

    /// <summary>One call to the provider. Returns the delay before the next attempt, or null when the job is done with.</summary>
    private async Task<TimeSpan?> AttemptAsync(GenerationJob job, CancellationToken ct)
    {
        var provider = providers.FirstOrDefault(p => p.Name == job.Provider);
        if (provider is null)
        {
            await FailAsync(job, "provider_unavailable", $"The provider '{job.Provider}' is not configured on this server.", ct);
            return null;
        }

        using var customerCancel = updates.Running(job.Id);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(ct, customerCancel.Token);
        var started = Stopwatch.GetTimestamp();
        var (apiKey, ownKey) = await credentials.ForAsync(job.OrganizationId, job.Provider, ct);
        var attempt = new ProviderAttempt(job.ProviderTaskId, apiKey,
            rememberTask: async (taskId, token) => job = await RememberTaskAsync(job, taskId, token) ?? job,
            progress: percent => updates.Changed(job.Id, percent), customerCancel.Token);
        try
        {
            GenerationResult result;
            try
            {
                result = await provider.GenerateAsync(await RequestOfAsync(job, ct), attempt, running.Token);
                health.Succeeded(job.Provider);
            }
            catch (ProviderException e) when (e.Kind == ProviderFailureKind.Transient)
            {
                health.Failed(job.Provider);
                throw;
            }
            finally
            {
                if (ownKey) await credentials.RecordUseAsync(job.OrganizationId, job.Provider, CancellationToken.None);
            }
            var stored = await StoreFilesAsync(job, result, running.Token);
            await CompleteAsync(job, result, stored, Stopwatch.GetElapsedTime(started), ct);
            return null;
        }
        catch (OperationCanceledException) when (customerCancel.IsCancellationRequested)
        {
            return null; // canceled by the customer: the cancel already released the credits
        }
        catch (ProviderException e) when (e.Kind == ProviderFailureKind.Transient && job.Attempts < job.MaxAttempts)
        {
            var delay = Backoff(job.Attempts, e.RetryAfter);
            if (delay > options.Value.MaxRetryDelay)
            {
                await FailAsync(job, e.Code, e.Message, ct, e.ProviderRequestId);
                return null;
            }
            log.LogWarning("Job {JobId} attempt {Attempt} failed ({Code}); retrying in {Delay}", job.Id, job.Attempts, e.Code, delay);
            await SaveAsync(job with { Status = JobStatus.Queued, ErrorCode = e.Code, ErrorMessage = e.Message }, ct);
            return delay;
        }
        catch (ProviderException e)
        {
            log.LogWarning("Job {JobId} failed on attempt {Attempt}: {Code}", job.Id, job.Attempts, e.Code);
            await FailAsync(job, e.Code, e.Message, ct, e.ProviderRequestId);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException && job.Attempts < job.MaxAttempts)
        {
            log.LogError(e, "Job {JobId} attempt {Attempt} broke", job.Id, job.Attempts);
            await SaveAsync(job with { Status = JobStatus.Queued, ErrorCode = "internal_error", ErrorMessage = "The attempt failed unexpectedly." }, ct);
            return Backoff(job.Attempts, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Job {JobId} broke on its last attempt", job.Id);
            await FailAsync(job, "internal_error", "The job failed unexpectedly.", ct);
            return null;
        }
        finally
        {
            updates.Stopped(job.Id);
        }
    }

    private TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var exponential = options.Value.RetryBaseDelay * Math.Pow(2, Math.Max(0, attempts - 1));
        return retryAfter is { } asked && asked > exponential ? asked : exponential;
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken ct) => delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, clock, ct);

    private async Task<GenerationRequest> RequestOfAsync(GenerationJob job, CancellationToken ct) => new(
        job.Id, job.Type, job.Model, job.Input.Prompt, job.Input.Seed, job.Input.NegativePrompt, job.Input.Style,
        job.Input.Width, job.Input.Height, job.Input.DurationSeconds, job.Input.Voice, job.Input.MaxTokens,
        await SourceImageAsync(job, ct));

    /// <summary>A source image named by generation id is handed to the provider as a data URI (our files are never public).</summary>
    private async Task<string?> SourceImageAsync(GenerationJob job, CancellationToken ct)
    {
        if (!Guid.TryParse(job.Input.SourceImage, out var generationId)) return job.Input.SourceImage;
        await using var session = store.QuerySession(Tenancy.TenantOf(job.OrganizationId));
        var image = await session.LoadAsync<Generation>(generationId, ct);
        if (image?.Files.FirstOrDefault() is not { } file || await files.OpenAsync(file.Key, ct) is not { } content)
            throw new ProviderException(ProviderFailureKind.Permanent, "source_not_found", "The source image is no longer available.");
        await using (content)
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            return $"data:{file.ContentType};base64,{Convert.ToBase64String(buffer.ToArray())}";
        }
    }

    private async Task<IReadOnlyList<GenerationFile>> StoreFilesAsync(GenerationJob job, GenerationResult result, CancellationToken ct)
    {
        var stored = new List<GenerationFile>();
        for (var i = 0; i < result.Files.Count; i++)
        {
            var file = result.Files[i];
            var key = $"{job.OrganizationId:N}/{job.Id:N}/{i}.{file.Extension}";
            await using var content = file.Content is { } bytes
                ? new MemoryStream(bytes, writable: false)
                : await http.CreateClient("provider-downloads").GetStreamAsync(file.DownloadUrl!, ct);
            var saved = await files.SaveAsync(key, content, file.ContentType, ct);
            stored.Add(new GenerationFile(saved.Key, saved.ContentType, saved.SizeBytes, saved.Sha256, file.Width, file.Height, file.DurationSeconds));
        }
        return stored;
    }

    private async Task CompleteAsync(GenerationJob job, GenerationResult result, IReadOnlyList<GenerationFile> stored, TimeSpan took,
        CancellationToken ct)
    {
        await using var session = store.LightweightSession(Tenancy.TenantOf(job.OrganizationId));
        var row = await session.LoadAsync<PriceRow>(PriceRow.IdOf(job.Provider, job.Model), ct);
        var (credits, costUsd) = ActualCost(job, result, stored, row);

        var captured = await ledger.CaptureAsync(session, job.OrganizationId, job.ReservationId, credits, ct);
        var current = await session.LoadAsync<GenerationJob>(job.Id, ct);
        if (captured.Rejection is not null || current is null || current.IsFinished)
        {
            // Canceled (or timed out) while the provider worked: the credits went back, the result is not kept.
            await session.DisposeAsync(); // ends the transaction and its ledger lock before failing the job in another
            await DeleteFilesAsync(stored);
            if (current is { IsFinished: false })
                await FailAsync(current, "reservation_expired", "The job ran longer than its credit reservation lasts.", ct);
            return;
        }

        var generation = new Generation(Guid.CreateVersion7(), job.Id, job.UserId, job.Type, job.Provider, job.Model, job.Input, stored,
            result.Text, credits, costUsd, result.TokensInput + result.TokensOutput, clock.GetUtcNow(), job.Input.Tags ?? [],
            job.Input.ProjectId);
        session.Insert(generation);
        session.UpdateRevision(current with
        {
            Status = JobStatus.Completed,
            Progress = 100,
            CreditsUsed = credits,
            CostUsd = costUsd,
            TokensInput = result.TokensInput,
            TokensOutput = result.TokensOutput,
            ProviderRequestId = result.ProviderRequestId ?? current.ProviderRequestId,
            GenerationId = generation.Id,
            ErrorCode = null,
            ErrorMessage = null,
            CompletedAt = clock.GetUtcNow(),
            ProcessingTimeMs = (long)took.TotalMilliseconds,
        }, current.Version + 1);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException e)
        {
            log.LogWarning(e, "Job {JobId} changed while it was finishing", job.Id);
            if ((await LoadAsync(Tenancy.TenantOf(job.OrganizationId), job.Id, ct))?.GenerationId == generation.Id) return; // it did finish
            await DeleteFilesAsync(stored); // a cancel won the race; the worker's loop sees it and stops
            throw new ProviderException(ProviderFailureKind.Transient, "changed_meanwhile", "The job changed while it was finishing.");
        }
        updates.Changed(job.Id, finished: true);
    }

    /// <summary>Images cost what was reserved; text and audio what they actually used, never more than reserved.</summary>
    private static (int Credits, decimal CostUsd) ActualCost(GenerationJob job, GenerationResult result, IReadOnlyList<GenerationFile> stored, PriceRow? row)
    {
        if (row is null) return (job.CreditsReserved, job.CostUsd);
        var units = job.Type switch
        {
            GenerationType.Text when result.TokensInput + result.TokensOutput > 0 => (result.TokensInput + result.TokensOutput) / 1000m,
            GenerationType.Audio when stored.FirstOrDefault()?.DurationSeconds is { } seconds => (decimal)seconds / 60m,
            _ => Pricing.Units(job.Type, job.Input),
        };
        var multiplier = job.Type == GenerationType.Image && job.Input.Width is { } w && job.Input.Height is { } h
            ? Pricing.Multiplier(row, Math.Max(w, h)) ?? 1
            : 1;
        var quote = Pricing.Quote(row, units, multiplier);
        return (Math.Min(quote.Credits, job.CreditsReserved), result.CostUsd > 0 ? result.CostUsd : quote.CostUsd);
    }

    /// <summary>Releases the job's credits, gives back its quota and marks it failed, in one transaction.</summary>
    private async Task FailAsync(GenerationJob job, string code, string message, CancellationToken ct, string? providerRequestId = null)
    {
        await using var session = store.LightweightSession(Tenancy.TenantOf(job.OrganizationId));
        await ledger.ReleaseAsync(session, job.OrganizationId, job.ReservationId, "failed", ct);
        var current = await session.LoadAsync<GenerationJob>(job.Id, ct);
        if (current is null || current.IsFinished) return;
        await QuotaUsage.ReturnAsync(session, current, ct);
        session.UpdateRevision(current with
        {
            Status = JobStatus.Failed,
            ErrorCode = code,
            ErrorMessage = message,
            ProviderRequestId = providerRequestId ?? current.ProviderRequestId,
            CompletedAt = clock.GetUtcNow(),
        }, current.Version + 1);
        await session.SaveChangesAsync(ct);
        updates.Changed(job.Id, finished: true);
    }

    private async Task<GenerationJob?> RememberTaskAsync(GenerationJob job, string taskId, CancellationToken ct)
    {
        var saved = await SaveAsync(job with { ProviderTaskId = taskId }, ct);
        if (saved is null) throw new OperationCanceledException("The job changed while starting (canceled).");
        return saved;
    }

    /// <summary>Stores the job if nobody changed it since it was read; null when someone did.</summary>
    private async Task<GenerationJob?> SaveAsync(GenerationJob job, CancellationToken ct)
    {
        await using var session = store.LightweightSession(Tenancy.TenantOf(job.OrganizationId));
        session.UpdateRevision(job, job.Version + 1);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            return null;
        }
        updates.Changed(job.Id);
        return await LoadAsync(Tenancy.TenantOf(job.OrganizationId), job.Id, ct);
    }

    private async Task<bool> ReservationClosedAsync(GenerationJob job, CancellationToken ct)
    {
        await using var session = store.QuerySession(Tenancy.TenantOf(job.OrganizationId));
        return await session.LoadAsync<CreditReservation>(job.ReservationId, ct) is { Status: not ReservationStatus.Open };
    }

    private async Task<GenerationJob?> LoadAsync(string tenant, Guid jobId, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenant);
        return await session.LoadAsync<GenerationJob>(jobId, ct);
    }

    private async Task DeleteFilesAsync(IReadOnlyList<GenerationFile> stored)
    {
        foreach (var file in stored) await files.DeleteAsync(file.Key, CancellationToken.None);
    }
}
