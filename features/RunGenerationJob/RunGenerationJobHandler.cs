using System.Diagnostics;
using BaseAgency.Billing;
using BaseAgency.Events;
using BaseAgency.Generations;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using BaseAgency.RateLimiting;
using BaseAgency.Storage;
using BaseAgency.Usage;
using BaseAgency.Webhooks;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.RunGenerationJob;

/// <summary>
/// Runs one job from its durable queue. Each step commits before the next begins: the attempt is counted
/// before the provider is called, the provider's task id is stored before it is waited on, and the result
/// is stored, the credits captured and the job completed in one transaction. So a crash at any point
/// leaves a job that the redelivered message resumes (by the provider's task id where it has one), and
/// a job is never charged twice. Transient failures are retried with exponential backoff up to the job's
/// attempts; permanent ones fail at once; a failed or canceled job's reservation is released.
/// Because of those separate commits the handler opens a session per step (<see cref="Tenancy.SessionFor"/>)
/// instead of taking the one transaction Wolverine wraps around a handler, which would commit only at the end.
/// </summary>
public sealed class RunGenerationJobHandler(
    IDocumentStore store,
    IEnumerable<IGenerationProvider> providers,
    ProviderCredentials credentials,
    ProviderHealth health,
    IFileStore files,
    CreditLedger ledger,
    JobUpdates updates,
    ProviderDownloads downloads,
    IOptions<GenerationOptions> options,
    TimeProvider clock,
    ILogger<RunGenerationJobHandler> log,
    Wolverine.IMessageBus bus,
    RunningJobs runningJobs,
    IOptionsMonitor<RateLimitOptions> limits,
    IServiceScopeFactory scopes)
{
    public async Task Handle(Generations.RunGenerationJob message, CancellationToken ct)
    {
        while (true)
        {
            var (job, reservation) = await ReadAsync(message.OrganizationId, message.JobId, ct);
            if (job is null || job.IsFinished) return;
            if (JobOutcomes.BeforeAttempt(job, reservation) is { } stop)
            {
                await FailAsync(job, stop, ct);
                return;
            }

            var (started, capped) = await StartAsync(job, ct);
            if (capped)
            {
                // The organization runs as many jobs as its plan allows: the worker goes to others; this job asks again shortly.
                await bus.ScheduleAsync(message, limits.CurrentValue.CappedJobRetryDelay,
                    new Wolverine.DeliveryOptions { TenantId = Tenancy.TenantOf(message.OrganizationId) });
                return;
            }
            if (started is null) continue; // changed meanwhile (canceled): look again

            if (await AttemptAsync(started, ct) is not { } retryIn) return;
            await DelayAsync(message.JobId, retryIn, ct);
        }
    }

    /// <summary>
    /// Counts the attempt and marks the job running, unless its organization already runs its plan's cap of jobs (Capped).
    /// The count is of running jobs on every node, under a lock held until this commit, so two nodes cannot both take the
    /// last slot. Started is null when the job changed meanwhile.
    /// </summary>
    private async Task<(GenerationJob? Started, bool Capped)> StartAsync(GenerationJob job, CancellationToken ct)
    {
        await using var session = store.SessionFor(job.OrganizationId);
        var cap = await runningJobs.CapAsync(job.OrganizationId, ct);
        if (cap != PlanLimits.Unlimited)
        {
            await session.LockNameAsync(RunningJobs.LockName(job.OrganizationId), ct);
            var running = await session.Query<GenerationJob>().CountAsync(j => j.Status == JobStatus.Processing && j.Id != job.Id, ct);
            if (running >= cap) return (null, true);
        }
        return (await SaveAsync(session, JobOutcomes.Started(job, clock.GetUtcNow()), ct), false);
    }

    /// <summary>One call to the provider. Returns the delay before the next attempt, or null when the job is done with.</summary>
    private async Task<TimeSpan?> AttemptAsync(GenerationJob job, CancellationToken ct)
    {
        var provider = providers.FirstOrDefault(p => p.Name == job.Provider);
        if (provider is null)
        {
            await FailAsync(job, JobOutcomes.ProviderUnavailable(job.Provider), ct);
            return null;
        }

        using var customerCancel = updates.Running(job.Id);
        // The customer's deadline ends the wait like their cancel (the provider's task is canceled too); EnforceDeadline settles the job.
        if (job.DeadlineAt is { } deadline) customerCancel.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (deadline - clock.GetUtcNow()).Ticks)));
        using var running = CancellationTokenSource.CreateLinkedTokenSource(ct, customerCancel.Token);
        var started = Stopwatch.GetTimestamp();
        var credential = await credentials.ForAsync(job.OrganizationId, job.Provider, ct);
        var attempt = new ProviderAttempt(job.ProviderTaskId, credential.ApiKey,
            rememberTask: async (taskId, token) => job = await RememberTaskAsync(job, taskId, customerCancel, token),
            progress: percent => updates.Progressed(job.OrganizationId, job.Id, percent));
        try
        {
            GenerationResult result;
            try
            {
                result = await provider.GenerateAsync(await RequestOfAsync(job, ct), attempt, running.Token);
                health.Succeeded(job.Provider, credential.Id);
            }
            catch (ProviderException e) when (e.Kind == ProviderFailureKind.Transient)
            {
                health.Failed(job.Provider, credential.Id);
                throw;
            }
            catch (ProviderException e) when (e.Code == "provider_auth_failed" && credential.Own is { } own)
            {
                await credentials.RejectedAsync(job.OrganizationId, job.Provider, own, e.Message, CancellationToken.None);
                throw;
            }
            finally
            {
                if (credential.Own is not null) await credentials.RecordUseAsync(job.OrganizationId, job.Provider, CancellationToken.None);
            }
            var stored = await StoreFilesAsync(job, result, running.Token);
            await CompleteAsync(job, result, stored, Stopwatch.GetElapsedTime(started), ct);
            return null;
        }
        catch (OperationCanceledException) when (customerCancel.IsCancellationRequested)
        {
            await CancelTaskAsync(provider, attempt, job); // the cancel already released the credits; the provider stops too
            return null;
        }
        catch (ProviderException e)
        {
            var setback = JobOutcomes.AfterProviderFailure(job, e, options.Value);
            // A task past our timeout is taken as stuck: it is stopped and the next attempt starts afresh.
            if (setback.RetryIn is null || e.Code == "provider_timeout")
            {
                await CancelTaskAsync(provider, attempt, job);
                if (setback.RetryIn is not null) job = job with { ProviderTaskId = null };
            }
            return await SetBackAsync(job, setback, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Job {JobId} attempt {Attempt} broke", job.Id, job.Attempts);
            return await SetBackAsync(job, JobOutcomes.AfterBreak(job, options.Value.RetryBaseDelay), ct);
        }
        finally
        {
            updates.Stopped(job.Id);
        }
    }

    /// <summary>Puts the job back in line, its error shown, and returns the wait; or fails it for good and returns null.</summary>
    private async Task<TimeSpan?> SetBackAsync(GenerationJob job, Setback setback, CancellationToken ct)
    {
        if (setback.RetryIn is not { } delay)
        {
            log.LogWarning("Job {JobId} failed on attempt {Attempt}: {Code}", job.Id, job.Attempts, setback.Error.Code);
            await FailAsync(job, setback.Error, ct);
            return null;
        }
        log.LogWarning("Job {JobId} attempt {Attempt} failed ({Code}); retrying in {Delay}", job.Id, job.Attempts, setback.Error.Code, delay);
        await SaveAsync(JobOutcomes.Requeued(job, setback.Error), ct);
        return delay;
    }

    /// <summary>The wait before a retry; a cancel of the job ends it at once (the loop then finds the job finished).</summary>
    private async Task DelayAsync(Guid jobId, TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero) return;
        using var canceled = updates.Running(jobId);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, canceled.Token);
        try
        {
            await Task.Delay(delay, clock, waiting.Token);
        }
        catch (OperationCanceledException) when (canceled.IsCancellationRequested)
        {
        }
        finally
        {
            updates.Stopped(jobId);
        }
    }

    /// <summary>
    /// Stops the provider's task, when the provider can and the attempt has one, because the job no longer waits for it.
    /// Best effort: the job's outcome stands either way, so a refusal is only logged.
    /// </summary>
    private async Task CancelTaskAsync(IGenerationProvider provider, ProviderAttempt attempt, GenerationJob job)
    {
        if (provider is not ICancelsTasks cancels || attempt.TaskId is not { } taskId) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await cancels.CancelTaskAsync(taskId, attempt.ApiKey, timeout.Token);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not cancel task {TaskId} of job {JobId} at {Provider}", taskId, job.Id, job.Provider);
        }
    }

    private async Task<GenerationRequest> RequestOfAsync(GenerationJob job, CancellationToken ct) => new(
        job.Id, job.Type, job.Model, job.Input.Prompt, job.Input.Seed, job.Input.NegativePrompt, job.Input.Style,
        job.Input.Width, job.Input.Height, job.Input.DurationSeconds, job.Input.Voice, job.Input.MaxTokens,
        await SourceImageAsync(job, ct));

    /// <summary>A source image named by generation id is handed to the provider as a data URI (our files are never public).</summary>
    private async Task<string?> SourceImageAsync(GenerationJob job, CancellationToken ct)
    {
        if (!Guid.TryParse(job.Input.SourceImage, out var generationId)) return job.Input.SourceImage;
        await using var session = store.QueryFor(job.OrganizationId);
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

    /// <summary>
    /// Copies the outputs into our storage, each checked by <see cref="ProviderDownloads"/> and within what the organization's
    /// storage has left; a refused output fails the job (permanently) and nothing of it stays stored.
    /// </summary>
    private async Task<IReadOnlyList<GenerationFile>> StoreFilesAsync(GenerationJob job, GenerationResult result, CancellationToken ct)
    {
        long? room;
        await using (var session = store.QueryFor(job.OrganizationId)) room = await StorageRoom.LeftAsync(session, job.OrganizationId, ct);
        var stored = new List<GenerationFile>();
        try
        {
            for (var i = 0; i < result.Files.Count; i++)
            {
                var file = result.Files[i];
                var key = $"{job.OrganizationId:N}/{job.Id:N}/{i}.{file.Extension}";
                await using var content = await downloads.OpenAsync(job.Provider, file, downloads.LimitOf(job.Type, room), ct);
                var saved = await files.SaveAsync(key, content, file.ContentType, ct);
                stored.Add(new GenerationFile(saved.Key, saved.ContentType, saved.SizeBytes, saved.Sha256, file.Width, file.Height, file.DurationSeconds));
                room -= saved.SizeBytes;
            }
        }
        catch
        {
            await DeleteFilesAsync(stored);
            throw;
        }
        return stored;
    }

    private async Task CompleteAsync(GenerationJob job, GenerationResult result, IReadOnlyList<GenerationFile> stored, TimeSpan took,
        CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var session = store.SessionFor(job.OrganizationId);
        var outbox = scope.ServiceProvider.OutboxFor(session);
        var row = await session.LoadAsync<PriceRow>(PriceRow.IdOf(job.Provider, job.Model), ct);
        var cost = JobOutcomes.Cost(job, result, stored, row);

        var account = await ledger.LockAccountAsync(session, job.OrganizationId, ct);
        var captured = await ledger.CaptureAsync(session, account, job.ReservationId, cost.Credits, CreditReason.Completed, ct);
        var current = await session.LoadAsync<GenerationJob>(job.Id, ct);
        if (captured.Rejection is not null || current is null || current.IsFinished)
        {
            // Canceled (or timed out) while the provider worked: the credits went back, the result is not kept.
            await session.DisposeAsync(); // ends the transaction and its ledger lock before failing the job in another
            await DeleteFilesAsync(stored);
            if (current is { IsFinished: false }) await FailAsync(current, JobOutcomes.ReservationExpiredWhileRunning, ct);
            return;
        }

        // Read by id in this transaction, so organizations without an auto top-up cost no queued message per job.
        var topUp = await session.LoadAsync<AutoTopUp>(job.OrganizationId, ct);
        var (generation, completed) = JobOutcomes.Completed(current, result, stored, cost, Guid.CreateVersion7(), clock.GetUtcNow(), took);
        session.Insert(generation);
        session.UpdateRevision(completed, current.Version + 1);
        UsageCounters.Count(session, completed, stored);
        await OrganizationEvents.RecordAsync(session, outbox, job.OrganizationId, EventTypes.GenerationCompleted, JobView.Of(completed), completed.CompletedAt!.Value);
        await LowCredits.CheckAsync(session, outbox, job.OrganizationId, account.Account.Available, completed.CompletedAt!.Value, ct);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException e)
        {
            log.LogWarning(e, "Job {JobId} changed while it was finishing", job.Id);
            if ((await LoadAsync(job.OrganizationId, job.Id, ct))?.GenerationId == generation.Id) return; // it did finish
            await DeleteFilesAsync(stored); // a cancel won the race; the worker's loop sees it and stops
            throw new ProviderException(ProviderFailureKind.Transient, "changed_meanwhile", "The job changed while it was finishing.");
        }
        if (topUp is { Enabled: true }) await bus.TopUpIfLowAsync(job.OrganizationId); // credits were spent: it may be due
        updates.Finished(job.Id);
    }

    /// <summary>Releases the job's credits, gives back its quota and marks it failed, in one transaction.</summary>
    private async Task FailAsync(GenerationJob job, JobFailure failure, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var session = store.SessionFor(job.OrganizationId);
        var outbox = scope.ServiceProvider.OutboxFor(session);
        await ledger.ReleaseAsync(session, job.OrganizationId, job.ReservationId, JobOutcomes.CreditReasonOf(failure, job), ct);
        var current = await session.LoadAsync<GenerationJob>(job.Id, ct);
        if (current is null || current.IsFinished) return;
        await QuotaUsage.ReturnAsync(session, current, ct);
        var failed = JobOutcomes.Failed(current, failure, clock.GetUtcNow());
        session.UpdateRevision(failed, current.Version + 1);
        UsageCounters.Count(session, failed);
        await OrganizationEvents.RecordAsync(session, outbox, job.OrganizationId, EventTypes.GenerationFailed, JobView.Of(failed), failed.CompletedAt!.Value);
        await session.SaveChangesAsync(ct);
        updates.Finished(job.Id);
    }

    private async Task<GenerationJob> RememberTaskAsync(GenerationJob job, string taskId, CancellationTokenSource canceled, CancellationToken ct)
    {
        if (await SaveAsync(job with { ProviderTaskId = taskId }, ct, announce: false) is { } saved) return saved;
        // Changed while starting: canceled, perhaps before this node heard it. Stopped as a cancel is, the new task included.
        await canceled.CancelAsync();
        throw new OperationCanceledException("The job changed while starting (canceled).", canceled.Token);
    }

    /// <summary>Stores the job if nobody changed it since it was read; null when someone did. A change customers see is announced.</summary>
    private async Task<GenerationJob?> SaveAsync(GenerationJob job, CancellationToken ct, bool announce = true)
    {
        await using var session = store.SessionFor(job.OrganizationId);
        return await SaveAsync(session, job, ct, announce);
    }

    private async Task<GenerationJob?> SaveAsync(IDocumentSession session, GenerationJob job, CancellationToken ct, bool announce = true)
    {
        session.UpdateRevision(job, job.Version + 1);
        if (announce) OrganizationEvents.RecordLive(session, job.OrganizationId, EventTypes.JobUpdated, JobView.Of(job), clock.GetUtcNow());
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            return null;
        }
        return job with { Version = job.Version + 1 }; // the revision just stored: no need to read it back
    }

    /// <summary>The job, and its reservation's state while the job is unfinished.</summary>
    private async Task<(GenerationJob? Job, ReservationStatus? Reservation)> ReadAsync(Guid organizationId, Guid jobId, CancellationToken ct)
    {
        await using var session = store.QueryFor(organizationId);
        var job = await session.LoadAsync<GenerationJob>(jobId, ct);
        if (job is null || job.IsFinished) return (job, null);
        return (job, (await session.LoadAsync<CreditReservation>(job.ReservationId, ct))?.Status);
    }

    private async Task<GenerationJob?> LoadAsync(Guid organizationId, Guid jobId, CancellationToken ct)
    {
        await using var session = store.QueryFor(organizationId);
        return await session.LoadAsync<GenerationJob>(jobId, ct);
    }

    private async Task DeleteFilesAsync(IReadOnlyList<GenerationFile> stored)
    {
        foreach (var file in stored) await files.DeleteAsync(file.Key, CancellationToken.None);
    }
}

/// <summary>Why a job failed, as the job shows it.</summary>
public sealed record JobFailure(string Code, string Message, string? ProviderRequestId = null);

/// <summary>After a failed attempt: another one in <see cref="RetryIn"/>, or (null) the job fails with <see cref="Error"/>.</summary>
public sealed record Setback(JobFailure Error, TimeSpan? RetryIn);

public sealed record JobCost(int Credits, decimal CostUsd);

/// <summary>What becomes of a job at each step, decided from plain values: no database, no provider, no clock.</summary>
public static class JobOutcomes
{
    public static readonly JobFailure ReservationExpiredWhileRunning =
        new("reservation_expired", "The job ran longer than its credit reservation lasts.");

    /// <summary>Why the provider must not be called (again), or null to go ahead with the next attempt.</summary>
    public static JobFailure? BeforeAttempt(GenerationJob job, ReservationStatus? reservation)
    {
        // Its credits went back (the reservation timed out): the provider is not asked to work for free.
        if (reservation is { } status && status != ReservationStatus.Open)
            return new("reservation_expired", "The job waited longer than its credit reservation lasts.");
        if (job.Attempts >= job.MaxAttempts)
            return new("attempts_exhausted", job.ErrorMessage ?? "The job did not finish within its attempts.");
        return null;
    }

    /// <summary>The attempt is counted before the provider is called, so a crash mid-call still uses one up.</summary>
    public static GenerationJob Started(GenerationJob job, DateTimeOffset now) => job with
    {
        Status = JobStatus.Processing,
        Attempts = job.Attempts + 1,
        StartedAt = job.StartedAt ?? now,
    };

    public static JobFailure ProviderUnavailable(string provider) =>
        new("provider_not_configured", $"The provider '{provider}' is not configured on this server.");

    /// <summary>
    /// A transient failure is retried while attempts remain, after the backoff; a Retry-After longer than
    /// <see cref="GenerationOptions.MaxRetryDelay"/> is not waited out. Anything else fails the job at once.
    /// </summary>
    public static Setback AfterProviderFailure(GenerationJob job, ProviderException e, GenerationOptions options)
    {
        var error = new JobFailure(e.Code, e.Message, e.ProviderRequestId);
        if (e.Kind != ProviderFailureKind.Transient || job.Attempts >= job.MaxAttempts) return new(error, null);
        var delay = Backoff(job.Attempts, e.RetryAfter, options.RetryBaseDelay);
        return new(error, delay > options.MaxRetryDelay ? null : delay);
    }

    /// <summary>An unexpected error (ours, not the provider's) is retried like a transient one while attempts remain.</summary>
    public static Setback AfterBreak(GenerationJob job, TimeSpan retryBaseDelay) =>
        job.Attempts < job.MaxAttempts
            ? new(new("internal_error", "The attempt failed unexpectedly."), Backoff(job.Attempts, null, retryBaseDelay))
            : new(new("internal_error", "The job failed unexpectedly."), null);

    /// <summary>Base × 2^(attempts−1), or what the provider's Retry-After asks, if longer.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan? retryAfter, TimeSpan baseDelay)
    {
        var exponential = baseDelay * Math.Pow(2, Math.Max(0, attempts - 1));
        return retryAfter is { } asked && asked > exponential ? asked : exponential;
    }

    public static GenerationJob Requeued(GenerationJob job, JobFailure error) =>
        job with { Status = JobStatus.Queued, ErrorCode = error.Code, ErrorMessage = error.Message };

    /// <summary>Images and quoted jobs cost what was reserved; text and audio what they actually used, never more than reserved.</summary>
    public static JobCost Cost(GenerationJob job, GenerationResult result, IReadOnlyList<GenerationFile> stored, PriceRow? row)
    {
        if (row is null || job.QuoteId is not null) return new(job.CreditsReserved, job.CostUsd);
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
        return new(Math.Min(quote.Credits, job.CreditsReserved), result.CostUsd > 0 ? result.CostUsd : quote.CostUsd);
    }

    /// <summary>The gallery item the result becomes, and the job completed with what it cost.</summary>
    public static (Generation Generation, GenerationJob Job) Completed(GenerationJob job, GenerationResult result,
        IReadOnlyList<GenerationFile> stored, JobCost cost, Guid generationId, DateTimeOffset now, TimeSpan took)
    {
        var generation = new Generation(generationId, job.Id, job.UserId, job.Type, job.Provider, job.Model, job.Input, stored,
            result.Text, cost.Credits, cost.CostUsd, result.TokensInput + result.TokensOutput, now, job.Input.Tags ?? [], job.Input.ProjectId);
        return (generation, job with
        {
            Status = JobStatus.Completed,
            Progress = 100,
            CreditsUsed = cost.Credits,
            CostUsd = cost.CostUsd,
            TokensInput = result.TokensInput,
            TokensOutput = result.TokensOutput,
            ProviderRequestId = result.ProviderRequestId ?? job.ProviderRequestId,
            GenerationId = generation.Id,
            CreditReasonCode = CreditReason.Completed,
            ErrorCode = null,
            ErrorMessage = null,
            CompletedAt = now,
            ProcessingTimeMs = (long)took.TotalMilliseconds,
        });
    }

    /// <summary>
    /// Why a failed job's credits go back in full, as the statement and the job show it. A job out of attempts
    /// is classified by its last error; an attempt that never reported one (a crash mid-call) is ours.
    /// </summary>
    public static CreditReason CreditReasonOf(JobFailure failure, GenerationJob job) =>
        (failure.Code == "attempts_exhausted" ? job.ErrorCode : failure.Code) switch
        {
            "content_policy" => CreditReason.ContentPolicy,
            "provider_timeout" => CreditReason.ProviderTimeout,
            "reservation_expired" => CreditReason.ReservationTimeout,
            null or "internal_error" or "provider_not_configured" or "source_not_found" or "changed_meanwhile" => CreditReason.InternalError,
            _ => CreditReason.ProviderError,
        };

    /// <summary>The job failed; its credits and quota go back in the same transaction (the ledger's release, <see cref="QuotaUsage.ReturnAsync"/>).</summary>
    public static GenerationJob Failed(GenerationJob job, JobFailure failure, DateTimeOffset now) => job with
    {
        Status = JobStatus.Failed,
        CreditReasonCode = CreditReasonOf(failure, job),
        ErrorCode = failure.Code,
        ErrorMessage = failure.Message,
        ProviderRequestId = failure.ProviderRequestId ?? job.ProviderRequestId,
        CompletedAt = now,
    };
}
