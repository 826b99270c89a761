using System.Text.Json;

using BaseAgency.Ledger;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BaseAgency.Http;

/// <summary>
/// The one way to answer a problem: RFC 9457 problem details with a stable machine-readable
/// <c>code</c> and the <c>requestId</c> (added to every problem by <see cref="HttpConventions"/>).
/// </summary>
public static class Problems
{
    public static string TypeOf(string code) => $"urn:base-agency:problem:{code}";

    public static ProblemHttpResult Of(int status, string code, string title, string? detail = null,
        params (string Key, object? Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Type = TypeOf(code), Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NotFound(string what) =>
        Of(StatusCodes.Status404NotFound, "not_found", $"{what} was not found.");

    public static ProblemHttpResult Conflict(string code, string title, string? detail = null) =>
        Of(StatusCodes.Status409Conflict, code, title, detail);

    public static ProblemHttpResult Forbidden(string code, string title, string? detail = null,
        params (string Key, object? Value)[] extensions) =>
        Of(StatusCodes.Status403Forbidden, code, title, detail, extensions);

    public static ProblemHttpResult Unauthorized(string code, string title) =>
        Of(StatusCodes.Status401Unauthorized, code, title);

    /// <summary>The ledger's "no": 402 when credits are short (with what was required and what is available).</summary>
    public static ProblemHttpResult From(LedgerRejection rejection) => rejection switch
    {
        InsufficientCredits short_ => Of(StatusCodes.Status402PaymentRequired, rejection.Code, "Not enough credits.", rejection.Message,
            ("required", short_.Required), ("available", short_.Available)),
        ReservationClosed => Of(StatusCodes.Status409Conflict, rejection.Code, "The reservation is closed.", rejection.Message),
        SpendCapReached => Of(StatusCodes.Status403Forbidden, rejection.Code, "This would pass the organization's monthly spending cap.",
            rejection.Message),
        _ => Of(StatusCodes.Status422UnprocessableEntity, rejection.Code, "The amount is not acceptable.", rejection.Message),
    };

    /// <summary>FastEndpoints' validation failures as a 400 problem with field errors.</summary>
    public static object FromValidationFailures(List<ValidationFailure> failures, HttpContext http, int status)
    {
        var errors = failures
            .GroupBy(f => JsonNamingPolicy.CamelCase.ConvertName(f.PropertyName.Length == 0 ? "body" : f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        var malformed = failures.Any(f => f.ErrorCode == MalformedJsonCode);
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = status,
            Type = TypeOf(malformed ? "malformed_json" : "validation_failed"),
            Title = malformed ? "The request body is not valid JSON." : "The request has invalid fields.",
            Instance = http.Request.Path,
        };
        problem.Extensions["code"] = malformed ? "malformed_json" : "validation_failed";
        problem.Extensions["requestId"] = http.TraceIdentifier;
        return problem;
    }

    private const string MalformedJsonCode = "malformed_json";

    public static ValidationFailure FromMalformedJson(JsonException error) =>
        new(string.IsNullOrEmpty(error.Path) || error.Path == "$" ? "body" : error.Path.TrimStart('$', '.'),
            "The JSON could not be read" + (error.LineNumber is { } line ? $" (line {line + 1})." : "."))
        { ErrorCode = MalformedJsonCode };
}
