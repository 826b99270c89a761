using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Http;

/// <summary>
/// What a command handler answers: the value it produced, or the problem that stopped it. A handler
/// decides before it stages anything, so a problem leaves nothing behind for the transaction to commit.
/// Handlers return either one directly (<c>return job;</c>, <c>return Problems.NotFound("The job");</c>); the endpoint
/// answers <c>outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value!)</c>.
/// </summary>
public sealed record Outcome<T>
{
    private Outcome(T? value, ProblemHttpResult? problem) => (Value, Problem) = (value, problem);

    public T? Value { get; }
    public ProblemHttpResult? Problem { get; }

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(ProblemHttpResult problem) => new(default, problem);
}
