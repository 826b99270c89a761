using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Marten;
using Marten.Linq.MatchesSql;

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

public sealed record JobsPage(IReadOnlyList<JobView> Items, Guid? NextCursor);

public sealed class ListJobsValidator : Validator<ListJobsRequest>
{
    public ListJobsValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 100);
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.Type).IsInEnum();
        RuleFor(x => x.Provider).MaximumLength(50);
    }
}

/// <summary>GET /api/jobs: the organization's jobs, newest first, filtered, a page at a time.</summary>
public sealed class ListJobsEndpoint(IQuerySession session, JobUpdates updates) : Endpoint<ListJobsRequest, JobsPage>
{
    public override void Configure()
    {
        Get("/jobs");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListJobs").WithSummary("Generation jobs, newest first (cursor pagination)").WithTags("Jobs"));
    }

    public override async Task HandleAsync(ListJobsRequest req, CancellationToken ct)
    {
        var query = session.Query<GenerationJob>().AsQueryable();
        if (req.Status is { } status) query = query.Where(j => j.Status == status);
        if (req.Type is { } type) query = query.Where(j => j.Type == type);
        if (req.Provider is { } provider) query = query.Where(j => j.Provider == provider);
        if (req.CreatedFrom is { } from) query = query.Where(j => j.CreatedAt >= from);
        if (req.CreatedTo is { } to) query = query.Where(j => j.CreatedAt < to);
        if (req.Cursor is { } cursor) query = query.Where(j => j.MatchesSql("d.id < ?", cursor)); // ids are time-ordered

        var rows = await query.OrderByDescending(j => j.Id).Take(req.Limit + 1).ToListAsync(ct);
        var page = rows.Take(req.Limit).Select(j => JobView.Of(j, updates.ProgressOf(j.Id))).ToList();
        await Send.OkAsync(new JobsPage(page, rows.Count > req.Limit ? page[^1].Id : null), ct);
    }
}
