using System.Collections.Concurrent;
using BaseAgency.Plans;
using BaseAgency.Providers;

namespace BaseAgency.Tests.Support;

/// <summary>
/// A stand-in provider for pipeline tests (the real providers are tested against fakes of their HTTP
/// APIs). What it does is chosen by the prompt: "fail twice", "always fail", "content policy", "slow".
/// Otherwise it answers with a small PNG after a short pause.
/// </summary>
public sealed class ScriptedProvider : IGenerationProvider
{
    public const string ProviderName = "scripted";
    public const string Model = "scripted-image";

    public static readonly PriceRow Price = new(PriceRow.IdOf(ProviderName, Model), ProviderName, Model, "generate", 2, 0.01m,
        PriceUnit.Image, new() { [1024] = 1, [2048] = 2 });

    private readonly ConcurrentDictionary<Guid, int> _calls = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _canceledByCustomer = new();

    /// <summary>Lets a job whose prompt says "wait for me" finish its call.</summary>
    public void Release(Guid jobId) => _gates.GetOrAdd(jobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public string Name => ProviderName;

    public int CallsFor(Guid jobId) => _calls.GetValueOrDefault(jobId);

    /// <summary>Completes when a call for the job is stopped by the runner (a cancel or a deadline; the provider's task would be canceled too).</summary>
    public Task StoppedByRunner(Guid jobId) => _canceledByCustomer.GetOrAdd(jobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct)
    {
        try
        {
            return await RunAsync(request, attempt, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _canceledByCustomer.GetOrAdd(request.JobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            throw;
        }
    }

    private async Task<GenerationResult> RunAsync(GenerationRequest request, ProviderAttempt attempt, CancellationToken ct)
    {
        var call = _calls.AddOrUpdate(request.JobId, 1, (_, n) => n + 1);
        attempt.Progress(30);
        if (request.Prompt.Contains("slow")) await Task.Delay(TimeSpan.FromSeconds(30), ct);
        if (request.Prompt.Contains("wait for me"))
            await _gates.GetOrAdd(request.JobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(ct);
        await Task.Delay(150, ct);

        if (request.Prompt.Contains("fail twice") && call <= 2)
            throw new ProviderException(ProviderFailureKind.Transient, "provider_unavailable", $"Upstream said 503 (call {call}).");
        if (request.Prompt.Contains("always fail"))
            throw new ProviderException(ProviderFailureKind.Transient, "provider_timeout", "Upstream timed out.");
        if (request.Prompt.Contains("provider error"))
            throw new ProviderException(ProviderFailureKind.Permanent, "generation_failed", "The model failed on the provider.");
        // Retried after 15 s: the job waits in the queue, the provider not working on it, long enough to be canceled
        // (a cancel ends its worker's wait at once).
        if (request.Prompt.Contains("retry later") && call == 1)
            throw new ProviderException(ProviderFailureKind.Transient, "provider_unavailable", "Upstream said 503.", retryAfter: TimeSpan.FromSeconds(15));
        if (request.Prompt.Contains("content policy"))
            throw new ProviderException(ProviderFailureKind.Permanent, "content_policy", "The prompt was refused by the provider's content policy.");

        attempt.Progress(80);
        return new GenerationResult([new GeneratedFile("image/png", "png", OnePixelPng, Width: 1, Height: 1)],
            ProviderRequestId: $"scripted-{request.JobId:N}-{call}", CostUsd: 0.01m);
    }

    public static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");
}
