using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;

namespace BaseAgency.Features.ListGenerations;

public sealed class ListGenerationsRequest
{
    [QueryParam] public GenerationType? Type { get; init; }
    [QueryParam] public string? Provider { get; init; }
    [QueryParam] public string? Model { get; init; }
    [QueryParam] public string? Tag { get; init; }
    [QueryParam] public bool? Favorite { get; init; }
    [QueryParam] public Guid? ProjectId { get; init; }
    [QueryParam] public DateTimeOffset? CreatedFrom { get; init; }
    [QueryParam] public DateTimeOffset? CreatedTo { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 24;
}

public sealed record ListGenerations(GenerationType? Type, string? Provider, string? Model, string? Tag, bool? Favorite, Guid? ProjectId,
    DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, Guid? Cursor, int Limit);

public sealed record GenerationsPage(IReadOnlyList<GenerationView> Items, Guid? NextCursor);
