using BaseAgency.Generations;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.WatchJob;

/// <summary>The one read of the watched job; its later changes reach the endpoint as events.</summary>
public static class WatchJobHandler
{
    public static async Task<Outcome<JobState>> Handle(WatchJob query, IQuerySession session, JobUpdates updates, CancellationToken ct) =>
        await session.LoadAsync<GenerationJob>(query.JobId, ct) is { } job
            ? new JobState(JobView.Of(job, updates.ProgressOf(job.Id)), job.IsFinished)
            : Problems.NotFound("The job");
}
