using BaseAgency.Generations;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.GetJob;

public static class GetJobHandler
{
    public static async Task<Outcome<JobView>> Handle(GetJob query, IQuerySession session, JobUpdates updates, CancellationToken ct) =>
        await session.LoadAsync<GenerationJob>(query.JobId, ct) is { } job
            ? JobView.Of(job, updates.ProgressOf(job.Id))
            : Problems.NotFound("The job");
}
