using BaseAgency.Events;
using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Usage;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
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

    public static async Task<Outcome<JobView>> Handle(CancelJob command, IDocumentSession session, CreditLedger ledger,
        IOptions<GenerationOptions> options, TimeProvider clock, IMessageContext outbox, CancellationToken ct)
    {
        var account = await ledger.LockAccountAsync(session, command.OrganizationId, ct);
        var job = await session.LoadAsync<GenerationJob>(command.JobId, ct);
        var decision = Cancel(job, options.Value.CancelAfterStartCharge, clock.GetUtcNow());
        if (decision.Problem is { } problem) return problem;

        var canceled = await Cancellation.SettleAsync(session, ledger, account, decision.Value!, ct);
        UsageCounters.Count(session, canceled);
        var view = JobView.Of(canceled);
        await OrganizationEvents.RecordAsync(session, outbox, command.OrganizationId, EventTypes.GenerationCanceled, view, canceled.CompletedAt!.Value);
        return view;
    }

    /// <summary>
    /// The job canceled now; a finished job is 409, since its credits are already settled. A job the provider is
    /// working on is charged <paramref name="afterStartCharge"/> of its reserved credits (<see cref="CreditRules.CancelCharge"/>);
    /// one still waiting (first attempt or a retry) is charged nothing.
    /// </summary>
    public static Outcome<GenerationJob> Cancel(GenerationJob? job, decimal afterStartCharge, DateTimeOffset now) => job switch
    {
        null => Problems.NotFound("The job"),
        { IsFinished: true } => Problems.Conflict("job_finished", $"The job is already {Json.EnumNaming.ConvertName(job.Status.ToString())}."),
        { Status: JobStatus.Processing } => job with
        {
            Status = JobStatus.Canceled, CompletedAt = now, ErrorCode = null, ErrorMessage = null,
            CreditsUsed = CreditRules.CancelCharge(job.CreditsReserved, afterStartCharge), CreditReasonCode = CreditReason.CanceledAfterStart,
        },
        _ => job with { Status = JobStatus.Canceled, CompletedAt = now, ErrorCode = null, ErrorMessage = null, CreditReasonCode = CreditReason.CanceledBeforeStart },
    };
}
