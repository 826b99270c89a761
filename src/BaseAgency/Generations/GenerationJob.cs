using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Providers;
using Marten.Schema;

namespace BaseAgency.Generations;

public enum JobStatus { Pending, Queued, Processing, Completed, Failed, Canceled }

/// <summary>What the customer asked for (no secrets; safe to queue, store and show).</summary>
public sealed record JobInput(
    string Prompt,
    string? NegativePrompt = null,
    string? Style = null,
    string? AspectRatio = null,
    int? Width = null,
    int? Height = null,
    long Seed = 0,
    double? DurationSeconds = null,
    string? Voice = null,
    int? MaxTokens = null,
    string? SourceImage = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null);

/// <summary>
/// One generation request as it moves through the queue: pending → queued → processing → completed |
/// failed | canceled. Its credits are reserved at submission, captured on success, released otherwise
/// (a share captured when canceled after the provider started); <see cref="CreditReasonCode"/> says which.
/// Versioned: a cancel and a worker finishing at the same moment cannot both win.
/// </summary>
/// <param name="QuoteId">The quote it was bought with: charged exactly its credits; unique, so a quote buys one job.</param>
/// <param name="ApiKeyId">The API key that submitted it (its limits count the key's jobs); null for a signed-in session.</param>
/// <param name="DeadlineAt">The customer's Cancel-After: not finished by then, it is canceled (<see cref="Deadlines"/>).</param>
/// <param name="IdempotencyKey">Unique per organization, with <paramref name="RequestFingerprint"/>: one job per keyed request, even across a crash.</param>
public sealed record GenerationJob(
    Guid Id,
    Guid OrganizationId,
    Guid UserId,
    GenerationType Type,
    string Provider,
    string Model,
    JobInput Input,
    JobStatus Status,
    bool Priority,
    int CreditsReserved,
    Guid ReservationId,
    DateTimeOffset CreatedAt,
    string? IdempotencyKey = null,
    int Attempts = 0,
    int MaxAttempts = 3,
    int Progress = 0,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    int CreditsUsed = 0,
    decimal CostUsd = 0,
    int TokensInput = 0,
    int TokensOutput = 0,
    string? ProviderTaskId = null,
    string? ProviderRequestId = null,
    Guid? GenerationId = null,
    DateTimeOffset? QueuedAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? CompletedAt = null,
    long? ProcessingTimeMs = null,
    string? UsagePeriodId = null,
    string? RequestFingerprint = null,
    CreditReason? CreditReasonCode = null,
    Guid? ApiKeyId = null,
    Guid? QuoteId = null,
    DateTimeOffset? DeadlineAt = null) : IOrganizationOwned
{
    [Version] public long Version { get; set; }

    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Canceled;

    public string ReservationReference => $"job:{Id}";
}

/// <summary>Put on the job's queue (by type and priority); carries ids only.</summary>
public sealed record RunGenerationJob(Guid OrganizationId, Guid JobId);

/// <summary>Scheduled at a job's deadline: cancels it if it has not finished by then.</summary>
public sealed record EnforceDeadline(Guid OrganizationId, Guid JobId);

/// <summary>A finished job's result in the organization's gallery.</summary>
public sealed record Generation(
    Guid Id,
    Guid JobId,
    Guid UserId,
    GenerationType Type,
    string Provider,
    string Model,
    JobInput Input,
    IReadOnlyList<GenerationFile> Files,
    string? Text,
    int CreditsUsed,
    decimal CostUsd,
    int TokensUsed,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Tags,
    Guid? ProjectId = null,
    bool IsFavorite = false,
    DateTimeOffset? DeletedAt = null) : IOrganizationOwned;

public sealed record GenerationFile(string Key, string ContentType, long SizeBytes, string Sha256, int? Width, int? Height, double? DurationSeconds);
