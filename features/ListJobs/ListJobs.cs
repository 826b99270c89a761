using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;

namespace BaseAgency.Features.ListJobs;

public sealed class ListJobsRequest
{
    [QueryParam] public JobStatus? Status { get; init; }
    [QueryParam] public GenerationType? Type { get; init; }
    [QueryParam] public string? Provider { get; init; }
    [QueryParam] public DateTimeOffset? CreatedFrom { get; init; }
    [QueryParam] public DateTimeOffset? CreatedTo { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 20;
}

public sealed record ListJobs(JobStatus? Status, GenerationType? Type, string? Provider, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo,
    Guid? Cursor, int Limit);

public sealed record JobsPage(IReadOnlyList<JobView> Items, Guid? NextCursor);
