using BaseAgency.Events;
using BaseAgency.Generations;
using BaseAgency.Ledger;
using BaseAgency.Usage;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace BaseAgency.Features.EnforceDeadline;

/// <summary>
/// The durable timer of a job's Cancel-After: at the deadline an unfinished job is canceled and its credits and quota
/// settled as by the customer's cancel (see <see cref="Deadlines.Canceled"/>). The worker stops waiting for the provider
/// at the same moment on its own; the ledger lock, taken first, orders this with a worker finishing just in time.
/// </summary>
public static class EnforceDeadlineHandler
{
    /// <summary>A worker starting an attempt at the same moment changes the job's version: look again at the fresh job.</summary>
    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(3);

    public static async Task Handle(Generations.EnforceDeadline message, IDocumentSession session, CreditLedger ledger,
        IOptions<GenerationOptions> options, TimeProvider clock, IMessageContext outbox, CancellationToken ct)
    {
        var account = await ledger.LockAccountAsync(session, message.OrganizationId, ct);
        var job = await session.LoadAsync<GenerationJob>(message.JobId, ct);
        var now = clock.GetUtcNow();
        switch (Deadlines.Next(job, now))
        {
            case Deadlines.Step.WaitUntilDeadline:
                await outbox.ScheduleAsync(message, job!.DeadlineAt!.Value, new DeliveryOptions { TenantId = session.TenantId });
                return;
            case Deadlines.Step.Nothing:
                return;
        }

        var canceled = await Cancellation.SettleAsync(session, ledger, account, Deadlines.Canceled(job!, options.Value.CancelAfterStartCharge, now), ct);
        UsageCounters.Count(session, canceled);
        await OrganizationEvents.RecordAsync(session, outbox, message.OrganizationId, EventTypes.GenerationCanceled, JobView.Of(canceled), now);
    }
}
