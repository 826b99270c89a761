using BaseAgency.Ledger;
using BaseAgency.Providers;

namespace BaseAgency.Generations;

public sealed record JobLinks(string Self, string Events, string Cancel, string? Generation);

/// <summary>A job as the API shows it: what it cost in credits, never what it cost the platform (operators read that in the usage costs).</summary>
public sealed record JobView(
    Guid Id, GenerationType Type, JobStatus Status, string Provider, string Model, int Progress, int Attempts, int MaxAttempts,
    int CreditsReserved, int CreditsUsed, string? ErrorCode, string? ErrorMessage, string? ProviderRequestId,
    Guid? GenerationId, JobInput Input, DateTimeOffset CreatedAt, DateTimeOffset? QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt, long? ProcessingTimeMs, JobLinks Links, CreditReason? CreditReasonCode, DateTimeOffset? DeadlineAt)
{
    public static JobView Of(GenerationJob job, int? liveProgress = null) => new(
        job.Id, job.Type, job.Status, job.Provider, job.Model,
        job.Status == JobStatus.Processing ? Math.Max(job.Progress, liveProgress ?? 0) : job.Progress,
        job.Attempts, job.MaxAttempts, job.CreditsReserved, job.CreditsUsed, job.ErrorCode, job.ErrorMessage,
        job.ProviderRequestId, job.GenerationId, job.Input, job.CreatedAt, job.QueuedAt, job.StartedAt, job.CompletedAt,
        job.ProcessingTimeMs,
        new JobLinks($"/api/jobs/{job.Id}", $"/api/jobs/{job.Id}/events", $"/api/jobs/{job.Id}/cancel",
            job.GenerationId is { } g ? $"/api/generations/{g}" : null),
        job.CreditReasonCode, job.DeadlineAt);
}
