using BaseAgency.Generations;

namespace BaseAgency.Features.WatchJob;

public sealed record WatchJob(Guid JobId);

/// <summary>The job as the stream shows it, and whether the stream may end.</summary>
public sealed record JobState(JobView Job, bool Finished);
