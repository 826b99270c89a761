using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Providers;
using Marten;
using Wolverine.Marten;
using Wolverine.Runtime;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Generations;

/// <summary>What the four generation endpoints share: field rules, the Idempotency-Key header, the 202 answer.</summary>
public static class Submitting
{
    public const int MaxPromptLength = 4000;
    public const int MaxTags = 20;

    public static void ValidTags<T>(this AbstractValidator<T> validator, Func<T, IReadOnlyList<string>?> tags) =>
        validator.RuleFor(x => tags(x)).Must(t => t is null || (t.Count <= MaxTags && t.All(tag => tag.Trim().Length is > 0 and <= 50)))
            .WithName("tags").WithMessage($"At most {MaxTags} tags of 1–50 characters.");

    /// <summary>The Idempotency-Key header: null when absent, a problem when malformed.</summary>
    public static (string? Key, ProblemHttpResult? Problem) IdempotencyKey(HttpContext http)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length == 0) return (null, null);
        return key.Length <= 255 && key.All(c => c is >= '!' and <= '~')
            ? (key, null)
            : (null, Problems.Of(400, "invalid_idempotency_key", "The Idempotency-Key header must be 1–255 visible ASCII characters."));
    }

    public static Accepted<JobView> Answer(HttpContext http, Submitted submitted)
    {
        if (submitted.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Accepted($"/api/jobs/{submitted.Job.Id}", JobView.Of(submitted.Job));
    }
}

/// <summary>
/// The four generation endpoints: each states its route and turns its request into an order (or a problem);
/// this reads the Idempotency-Key, submits the order and answers 202.
/// </summary>
public abstract class GenerationEndpoint<TRequest>(JobSubmission submission) : Endpoint<TRequest, Results<Accepted<JobView>, ProblemHttpResult>>
    where TRequest : notnull
{
    protected void Submits(GenerationType type, string summary)
    {
        Post($"/generations/{type.ToString().ToLowerInvariant()}");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName($"Generate{type}").WithSummary(summary).WithTags("Generations")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422));
    }

    /// <summary>The order for this request, or the problem that stops it before anything is checked or reserved.</summary>
    protected abstract ValueTask<(GenerationOrder? Order, ProblemHttpResult? Problem)> OrderAsync(TRequest req, string? idempotencyKey, CancellationToken ct);

    public sealed override async Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(TRequest req, CancellationToken ct)
    {
        var (key, badKey) = Submitting.IdempotencyKey(HttpContext);
        if (badKey is not null) return badKey;
        var (order, problem) = await OrderAsync(req, key, ct);
        if (problem is not null) return problem;

        var caller = User.Required();
        var session = Resolve<IDocumentSession>();
        var (accepted, refused) = await submission.SubmitAsync(session, new MartenOutbox(Resolve<IWolverineRuntime>(), session),
            caller.OrganizationId, caller.UserId, order!, ct);
        return accepted is null ? refused! : Submitting.Answer(HttpContext, accepted);
    }

    protected static IReadOnlyList<string>? Trimmed(IReadOnlyList<string>? tags) => tags?.Select(t => t.Trim()).ToList();
}
