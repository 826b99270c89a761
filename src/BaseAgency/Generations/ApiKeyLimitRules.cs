using BaseAgency.Http;
using BaseAgency.Identity;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Generations;

/// <summary>What a key has running and has spent this calendar month (UTC): reserved credits of open jobs, used credits of finished ones.</summary>
public sealed record ApiKeySpend(int RunningJobs, long CreditsThisMonth);

/// <summary>
/// A key's own limits on a job the plan accepts: its generation types and models, its monthly credits and its
/// parallel jobs. Read and decided under the organization's ledger lock, so two submissions of one key cannot both
/// take the last credit or the last slot.
/// </summary>
public static class ApiKeyLimitRules
{
    public static ProblemHttpResult? Refusal(ApiKey key, GenerationJob job, ApiKeySpend spend)
    {
        if (key.AllowedTypes is { } types && !types.Contains(job.Type))
            return Problems.Forbidden("api_key_not_allowed", $"This API key may not generate {job.Type.ToString().ToLowerInvariant()}.",
                null, ("allowedTypes", types.Select(t => t.ToString().ToLowerInvariant()).ToList()));
        if (key.AllowedModels is { } models && !models.Any(m => m == job.Model || m == $"{job.Provider}/{job.Model}"))
            return Problems.Forbidden("api_key_not_allowed", $"This API key may not use '{job.Provider}/{job.Model}'.", null, ("allowedModels", models));
        if (key.Limits?.MonthlyCredits is { } cap && spend.CreditsThisMonth + job.CreditsReserved > cap)
            return Problems.Forbidden("api_key_credit_cap_reached", "This API key's monthly credit cap is reached.",
                $"It may spend {cap} credits a calendar month (UTC); {spend.CreditsThisMonth} are spent or reserved, and this job needs {job.CreditsReserved}.",
                ("cap", cap), ("spent", spend.CreditsThisMonth), ("required", job.CreditsReserved));
        if (key.Limits?.MaxParallelJobs is { } parallel && spend.RunningJobs >= parallel)
            return Problems.Of(StatusCodes.Status429TooManyRequests, "api_key_parallel_jobs", "This API key has as many jobs running as it may.",
                $"It may run {parallel} at a time; submit again when one finishes.", ("maxParallelJobs", parallel));
        return null;
    }

    /// <summary>Counts only what the key's limits need: a key without limits costs no query.</summary>
    public static async Task<ApiKeySpend> SpendAsync(IQuerySession session, ApiKey key, DateTimeOffset now, CancellationToken ct)
    {
        var jobs = session.Query<GenerationJob>().Where(j => j.ApiKeyId == key.Id);
        var running = key.Limits?.MaxParallelJobs is null ? 0
            : await jobs.CountAsync(j => j.Status == JobStatus.Pending || j.Status == JobStatus.Queued || j.Status == JobStatus.Processing, ct);
        if (key.Limits?.MonthlyCredits is null) return new ApiKeySpend(running, 0);

        var monthStart = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var thisMonth = jobs.Where(j => j.CreatedAt >= monthStart);
        var used = await thisMonth.Where(j => j.Status == JobStatus.Completed || j.Status == JobStatus.Failed || j.Status == JobStatus.Canceled)
            .SumAsync(j => j.CreditsUsed, ct);
        var reserved = await thisMonth.Where(j => j.Status == JobStatus.Pending || j.Status == JobStatus.Queued || j.Status == JobStatus.Processing)
            .SumAsync(j => j.CreditsReserved, ct);
        return new ApiKeySpend(running, (long)used + reserved);
    }
}
