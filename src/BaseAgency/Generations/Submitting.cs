using BaseAgency.Http;
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
