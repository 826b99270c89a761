using BaseAgency.Plans;
using BaseAgency.Providers;
using Marten;

namespace BaseAgency.Generations;

/// <summary>
/// Counting jobs against the plan's monthly quotas. Counted when a job is accepted and given back when it
/// fails or is canceled, always while the organization's ledger lock is held, so counts never race.
/// </summary>
public static class QuotaUsage
{
    public static PlanQuota? QuotaFor(GenerationType type) => type switch
    {
        GenerationType.Image => PlanQuota.Images,
        GenerationType.Video => PlanQuota.Videos,
        GenerationType.Audio => PlanQuota.AudioMinutes,
        _ => null,
    };

    public static int UnitsOf(GenerationType type, JobInput input) => type switch
    {
        GenerationType.Audio => (int)Math.Ceiling((input.DurationSeconds ?? Estimates.SpeechSeconds(input.Prompt)) / 60),
        GenerationType.Text => 0,
        _ => 1,
    };

    public static PeriodUsage Add(PeriodUsage usage, GenerationType type, int units) => type switch
    {
        GenerationType.Image => usage with { Images = Math.Max(0, usage.Images + units) },
        GenerationType.Video => usage with { Videos = Math.Max(0, usage.Videos + units) },
        GenerationType.Audio => usage with { AudioMinutes = Math.Max(0, usage.AudioMinutes + units) },
        _ => usage,
    };

    /// <summary>Gives a failed or canceled job's units back to the period it was counted in.</summary>
    public static async Task ReturnAsync(IDocumentSession session, GenerationJob job, CancellationToken ct)
    {
        if (job.UsagePeriodId is null || QuotaFor(job.Type) is null) return;
        if (await session.LoadAsync<PeriodUsage>(job.UsagePeriodId, ct) is { } usage)
            session.Store(Add(usage, job.Type, -UnitsOf(job.Type, job.Input)));
    }
}
