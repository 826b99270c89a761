using System.Diagnostics;
using System.Text.Json;
using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Providers;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Wolverine;

namespace BaseAgency.Generations;

/// <summary>What the four generate features share at their edges: field rules, the idempotent request, the 202 answer.</summary>
public static class Submitting
{
    public const int MaxPromptLength = 4000;
    public const int MaxTags = 20;
    public const int MaxTextLength = 5000;

    public static void ValidTags<T>(this AbstractValidator<T> validator, Func<T, IReadOnlyList<string>?> tags) =>
        validator.RuleFor(x => tags(x)).Must(t => t is null || (t.Count <= MaxTags && t.All(tag => tag.Trim().Length is > 0 and <= 50)))
            .WithName("tags").WithMessage($"At most {MaxTags} tags of 1–50 characters.");

    public const int MaxVideoSeconds = 60;
    public const int MaxTokens = 4000;

    /// <summary>An aspect ratio we make, or none.</summary>
    public static IRuleBuilderOptions<T, string?> ValidAspectRatio<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(r => r is null || ImageSizes.AspectRatios.Contains(r)).WithMessage($"One of {string.Join(", ", ImageSizes.AspectRatios)}.");

    /// <summary>A video's source: an image generation's id or an https URL.</summary>
    public static IRuleBuilderOptions<T, string?> ValidSourceImage<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(2000)
            .Must(s => Guid.TryParse(s, out _) || (Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            .WithMessage("An image generation's id or an https URL.");

    public static IReadOnlyList<string>? Trimmed(IReadOnlyList<string>? tags) => tags?.Select(t => t.Trim()).ToList();

    /// <summary>
    /// Hands the caller's command, with the request's Idempotency-Key and fingerprint when it has one (see
    /// <see cref="Idempotency"/>) and its Cancel-After (<see cref="Deadlines"/>), to its handler and answers 202 with the job
    /// (marked <c>Idempotent-Replayed</c> when the job was made by an earlier run of the same request). With
    /// <c>Prefer: wait=n</c> (<see cref="Prefer"/>) it answers 200 with the job instead if the job finishes within n seconds.
    /// </summary>
    public static async Task<Results<Ok<JobView>, Accepted<JobView>, ProblemHttpResult>> SubmitAsync(this IMessageBus bus, HttpContext http,
        EventHub hub, IDocumentStore store, Func<SignedIn, IdempotentRequest?, TimeSpan?, object> command, CancellationToken ct)
    {
        var cancelAfter = Deadlines.CancelAfterOf(http.Request.Headers);
        if (cancelAfter.Problem is { } invalid) return invalid;
        var idempotency = http.Features.Get<IdempotentRequest>();
        var caller = http.User.Required();
        var wait = Prefer.WaitOf(http.Request.Headers);
        // Subscribed before the job is queued, so its end cannot come before anyone listens.
        using var events = wait is null ? null : await hub.SubscribeAsync(caller.OrganizationId, ct);
        Outcome<Submitted> outcome;
        try
        {
            outcome = await bus.InvokeForTenantAsync<Outcome<Submitted>>(caller.Tenant, command(caller, idempotency, cancelAfter.Value), ct);
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            // A request taken over after its lease ran out while it was in fact still running, or a second job on
            // one quote, for an organization whose ledger had no row to lock both in turn: the other job committed,
            // nothing of this one did, and asking again finds it (the same job, or quote_used).
            outcome = await bus.InvokeForTenantAsync<Outcome<Submitted>>(caller.Tenant, command(caller, idempotency, cancelAfter.Value), ct);
        }
        if (outcome.Problem is { } problem) return problem;

        var submitted = outcome.Value!;
        if (submitted.Replayed) http.Response.Headers[Idempotency.ReplayedHeader] = "true";
        if (events is null) return TypedResults.Accepted($"/api/jobs/{submitted.Job.Id}", submitted.Job);

        http.Response.Headers[Prefer.AppliedHeader] = $"wait={wait}";
        http.Response.Headers.Vary = Prefer.Header;
        if (submitted.Job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Canceled) return TypedResults.Ok(submitted.Job);
        if (!await FinishedWithinAsync(events, submitted.Job.Id, TimeSpan.FromSeconds(wait!.Value), ct))
            return TypedResults.Accepted($"/api/jobs/{submitted.Job.Id}", submitted.Job);
        await using var session = store.QueryFor(caller.OrganizationId);
        return TypedResults.Ok(JobView.Of((await session.LoadAsync<GenerationJob>(submitted.Job.Id, ct))!));
    }

    private static readonly string[] EndEvents = [EventTypes.GenerationCompleted, EventTypes.GenerationFailed, EventTypes.GenerationCanceled];

    /// <summary>True when the organization's events say the job finished within <paramref name="wait"/>.</summary>
    private static async Task<bool> FinishedWithinAsync(EventHub.Subscription events, Guid jobId, TimeSpan wait, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until) is var left && left > TimeSpan.Zero)
        {
            if (await events.NextAsync(left, ct) is not { } next) return false; // the wait is over, or the hub dropped us
            if (!EndEvents.Contains(next.Type)) continue;
            using var json = JsonDocument.Parse(next.Json);
            if (json.RootElement.GetProperty("data").TryGetProperty("id", out var id) && id.TryGetGuid(out var ended) && ended == jobId) return true;
        }
        return false;
    }

    /// <summary>Marks a submission whose OpenAPI operation documents Cancel-After and Prefer (<see cref="DescribeHeaders"/>).</summary>
    public static RouteHandlerBuilder AcceptsDeadlineAndWait(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new DeadlineAndWait());

    private sealed record DeadlineAndWait;

    public static Task DescribeHeaders(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<DeadlineAndWait>().Any()) return Task.CompletedTask;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Deadlines.CancelAfterHeader,
            In = ParameterLocation.Header,
            Description = "A deadline: the job is canceled if it has not finished this long after submission (30s, 5m, 1h30m or plain seconds; " +
                          "1s to 24h, else 400 invalid_cancel_after). Canceled before the provider started, it costs nothing; after, the " +
                          "cancel-after-start share. The job shows deadlineAt, and errorCode deadline_exceeded when it ran out.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^(\d+|(\d+h)?(\d+m)?(\d+s)?)$" },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Prefer.Header,
            In = ParameterLocation.Header,
            Description = $"wait or wait=n (n ≤ {Prefer.LongestWait}, default {Prefer.LongestWait}): answer 200 with the finished job if it finishes within " +
                          "n seconds, else 202 as without it; Preference-Applied says the wait was honoured. Other or malformed preferences are ignored.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        return Task.CompletedTask;
    }

    /// <summary>What a submission can answer, whichever its type: the four operations document the same problems.</summary>
    public static RouteHandlerBuilder ProducesSubmissionProblems(this RouteHandlerBuilder description) =>
        description.ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
}
