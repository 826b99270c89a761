namespace BaseAgency.Providers;

public enum GenerationType { Image, Video, Audio, Text }

/// <summary>What a provider is asked to make. Holds no secret: credentials travel separately, in memory only.</summary>
public sealed record GenerationRequest(
    Guid JobId,
    GenerationType Type,
    string Model,
    string Prompt,
    long Seed,
    string? NegativePrompt = null,
    string? Style = null,
    int? Width = null,
    int? Height = null,
    double? DurationSeconds = null,
    string? Voice = null,
    int? MaxTokens = null,
    string? SourceImageUrl = null);

/// <summary>
/// One output file: either its bytes, or where the provider serves it (its URLs expire, so the pipeline
/// copies them into our storage at once).
/// </summary>
public sealed record GeneratedFile(
    string ContentType,
    string Extension,
    byte[]? Content = null,
    Uri? DownloadUrl = null,
    int? Width = null,
    int? Height = null,
    double? DurationSeconds = null);

public sealed record GenerationResult(
    IReadOnlyList<GeneratedFile> Files,
    string? Text = null,
    int TokensInput = 0,
    int TokensOutput = 0,
    decimal CostUsd = 0,
    string? ProviderRequestId = null);

/// <summary>
/// The provider's side of one attempt. A provider that works asynchronously records its task id with
/// <see cref="RememberTaskAsync"/> before it waits, and resumes from <see cref="TaskId"/> when set (a job
/// restarted after a crash), so work already paid for at the provider is not requested again.
/// </summary>
public sealed class ProviderAttempt(string? taskId, string? apiKey, Func<string, CancellationToken, Task> rememberTask, Action<int> progress)
{
    public string? TaskId { get; private set; } = taskId;

    /// <summary>The organization's own key or the platform's; exists only in memory for this call.</summary>
    public string? ApiKey { get; } = apiKey;

    public async Task RememberTaskAsync(string providerTaskId, CancellationToken ct)
    {
        TaskId = providerTaskId;
        await rememberTask(providerTaskId, ct);
    }

    /// <summary>Progress in percent (0–100), shown to clients while the job runs.</summary>
    public void Progress(int percent) => progress(Math.Clamp(percent, 0, 100));

    public override string ToString() => $"ProviderAttempt(TaskId={TaskId})"; // never the key
}

public interface IGenerationProvider
{
    /// <summary>The provider's id as in the pricing table ("local", "openai", ...).</summary>
    string Name { get; }

    Task<GenerationResult> GenerateAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct);
}

/// <summary>A provider that takes API keys can tell whether one works (used before storing an organization's key).</summary>
public interface IValidatesKeys
{
    /// <summary>Throws <see cref="ProviderException"/> (provider_auth_failed) when the key is refused.</summary>
    Task ValidateKeyAsync(string apiKey, CancellationToken ct);
}

/// <summary>
/// A provider whose tasks can be stopped, so the platform stops paying for work nobody waits for any more. The runner
/// calls it when a job that has a task is canceled, times out, or fails for good; a node shutting down does not (the
/// task lives on, and the next node resumes it).
/// </summary>
public interface ICancelsTasks
{
    /// <summary>Asks the provider to stop the task (one already finished stays as it is); throws when the provider refuses.</summary>
    Task CancelTaskAsync(string taskId, string? apiKey, CancellationToken ct);
}

/// <summary>A provider that makes only some image sizes says which one it will deliver, so the price is the delivered size's.</summary>
public interface ISnapsImageSize
{
    (int Width, int Height) SnapImageSize(string model, int width, int height);
}

public enum ProviderFailureKind
{
    /// <summary>Worth another attempt: timeouts, 429, 5xx, the provider being down.</summary>
    Transient,

    /// <summary>Another attempt would fail the same way: invalid input, content policy, a bad key.</summary>
    Permanent,
}

/// <summary>A provider said no. The message is safe to show the customer and never holds a secret.</summary>
public sealed class ProviderException(ProviderFailureKind kind, string code, string message, TimeSpan? retryAfter = null,
    string? providerRequestId = null, Exception? inner = null) : Exception(message, inner)
{
    public ProviderFailureKind Kind { get; } = kind;
    public string Code { get; } = code;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public string? ProviderRequestId { get; } = providerRequestId;
}
