using BaseAgency.Generations;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.ListJobs;

/// <summary>A list has no problem to report, so the page is the whole answer.</summary>
public static class ListJobsHandler
{
    public static async Task<JobsPage> Handle(ListJobs query, IQuerySession session, JobUpdates updates, CancellationToken ct)
    {
        var jobs = session.Query<GenerationJob>().AsQueryable();
        if (query.Status is { } status) jobs = jobs.Where(j => j.Status == status);
        if (query.Type is { } type) jobs = jobs.Where(j => j.Type == type);
        if (query.Provider is { } provider) jobs = jobs.Where(j => j.Provider == provider);
        if (query.CreatedFrom is { } from) jobs = jobs.Where(j => j.CreatedAt >= from);
        if (query.CreatedTo is { } to) jobs = jobs.Where(j => j.CreatedAt < to);

        var page = await jobs.NewestFirstAsync(query.Cursor, query.Limit, j => j.Id, j => JobView.Of(j, updates.ProgressOf(j.Id)), ct);
        return new JobsPage(page.Items, page.NextCursor);
    }
}
