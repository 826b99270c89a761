using BaseAgency.Http;
using BaseAgency.Identity;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Generations;

/// <summary>What the four generate features share at their edges: field rules, the Idempotency-Key header, the 202 answer.</summary>
public static class Submitting
{
    public const int MaxPromptLength = 4000;
    public const int MaxTags = 20;

    public static void ValidTags<T>(this AbstractValidator<T> validator, Func<T, IReadOnlyList<string>?> tags) =>
        validator.RuleFor(x => tags(x)).Must(t => t is null || (t.Count <= MaxTags && t.All(tag => tag.Trim().Length is > 0 and <= 50)))
            .WithName("tags").WithMessage($"At most {MaxTags} tags of 1–50 characters.");

    public static IReadOnlyList<string>? Trimmed(IReadOnlyList<string>? tags) => tags?.Select(t => t.Trim()).ToList();

    /// <summary>
    /// Reads the Idempotency-Key header, hands the caller's command to its handler and answers 202 with the job
    /// (marked <c>Idempotent-Replayed</c> when a repeated key returned the first job).
    /// </summary>
    public static async Task<Results<Accepted<JobView>, ProblemHttpResult>> SubmitAsync(this IMessageBus bus, HttpContext http,
        Func<SignedIn, string?, object> command, CancellationToken ct)
    {
        var (key, badKey) = IdempotencyKey(http);
        if (badKey is not null) return badKey;
        var caller = http.User.Required();
        Outcome<Submitted> outcome;
        try
        {
            outcome = await bus.InvokeForTenantAsync<Outcome<Submitted>>(caller.Tenant, command(caller, key), ct);
        }
        catch (Exception e) when (e.IsUniqueViolation() && key is not null)
        {
            // The same key twice at once, for an organization whose ledger had no row to lock them in turn:
            // the other request's job committed, and asking again replays it.
            outcome = await bus.InvokeForTenantAsync<Outcome<Submitted>>(caller.Tenant, command(caller, key), ct);
        }
        if (outcome.Problem is { } problem) return problem;

        var submitted = outcome.Value!;
        if (submitted.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Accepted($"/api/jobs/{submitted.Job.Id}", submitted.Job);
    }

    /// <summary>What a submission can answer, whichever its type: the four operations document the same problems.</summary>
    public static RouteHandlerBuilder ProducesSubmissionProblems(this RouteHandlerBuilder description) =>
        description.ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

    /// <summary>The Idempotency-Key header: null when absent, a problem when malformed.</summary>
    private static (string? Key, ProblemHttpResult? Problem) IdempotencyKey(HttpContext http)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length == 0) return (null, null);
        return key.Length <= 255 && key.All(c => c is >= '!' and <= '~')
            ? (key, null)
            : (null, Problems.Of(400, "invalid_idempotency_key", "The Idempotency-Key header must be 1–255 visible ASCII characters."));
    }
}
