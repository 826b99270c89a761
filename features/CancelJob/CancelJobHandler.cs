using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Ledger;
using JasperFx;
using Marten;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace BaseAgency.Features.CancelJob;

/// <summary>
/// Stops a job that has not finished and gives its credits and quota back at once. The ledger lock, taken
/// first, orders it with a worker finishing at the same moment: whichever commits first wins, and the
/// other sees a finished job.
/// </summary>
public static class CancelJobHandler
{
    /// <summary>A worker starting an attempt at the same moment changes the job's version: cancel again on the fresh job.</summary>
    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(3);

    public static async Task<Outcome<JobView>> Handle(CancelJob command, IDocumentSession session, CreditLedger ledger, TimeProvider clock,
        CancellationToken ct)
    {
        var account = await ledger.LockAccountAsync(session, command.OrganizationId, ct);
        var job = await session.LoadAsync<GenerationJob>(command.JobId, ct);
        var decision = Cancel(job, clock.GetUtcNow());
        if (decision.Problem is { } problem) return problem;

        var canceled = decision.Value!;
        await ledger.ReleaseAsync(session, account, canceled.ReservationId, "canceled", ct);
        await QuotaUsage.ReturnAsync(session, canceled, ct);
        session.UpdateRevision(canceled, canceled.Version + 1);
        return JobView.Of(canceled);
    }

    /// <summary>The job canceled now; a finished job is 409, since its credits are already settled.</summary>
    public static Outcome<GenerationJob> Cancel(GenerationJob? job, DateTimeOffset now) => job switch
    {
        null => Problems.NotFound("The job"),
        { IsFinished: true } => Problems.Conflict("job_finished", $"The job is already {Json.EnumNaming.ConvertName(job.Status.ToString())}."),
        _ => job with { Status = JobStatus.Canceled, CompletedAt = now, ErrorCode = null, ErrorMessage = null },
    };
}
