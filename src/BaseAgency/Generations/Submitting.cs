using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Providers;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
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
    /// <see cref="Idempotency"/>) and its Cancel-After (<see cref="Deadlines"/>), to its handler and answers 202 with the job (marked <c>Idempotent-Replayed</c>
    /// when the job was made by an earlier run of the same request).
    /// </summary>
    public static async Task<Results<Accepted<JobView>, ProblemHttpResult>> SubmitAsync(this IMessageBus bus, HttpContext http,
        Func<SignedIn, IdempotentRequest?, TimeSpan?, object> command, CancellationToken ct)
    {
        var cancelAfter = Deadlines.CancelAfterOf(http.Request.Headers);
        if (cancelAfter.Problem is { } invalid) return invalid;
        var idempotency = http.Features.Get<IdempotentRequest>();
        var caller = http.User.Required();
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
        return TypedResults.Accepted($"/api/jobs/{submitted.Job.Id}", submitted.Job);
    }

    /// <summary>What a submission can answer, whichever its type: the four operations document the same problems.</summary>
    public static RouteHandlerBuilder ProducesSubmissionProblems(this RouteHandlerBuilder description) =>
        description.ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
}
