using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Generations;

/// <summary>Settling a job just decided canceled, whoever canceled it (the customer, or its Cancel-After deadline).</summary>
public static class Cancellation
{
    /// <summary>
    /// Captures the after-start share or releases the hold, under the ledger lock the caller holds; gives the quota back;
    /// stores the job as the ledger settled it; and tells the node running it to stop once this commits. Returns the job stored.
    /// </summary>
    public static async Task<GenerationJob> SettleAsync(IDocumentSession session, CreditLedger ledger, LockedAccount account,
        GenerationJob canceled, CancellationToken ct)
    {
        var settled = canceled.CreditReasonCode == CreditReason.CanceledAfterStart
            ? await ledger.CaptureAsync(session, account, canceled.ReservationId, canceled.CreditsUsed, CreditReason.CanceledAfterStart, ct)
            : await ledger.ReleaseAsync(session, account, canceled.ReservationId, CreditReason.CanceledBeforeStart, ct);
        // The job shows what the ledger settled: a hold that had already timed out went back whole, and nothing is charged.
        if (settled.Reservation is { } reservation)
            canceled = canceled with { CreditsUsed = reservation.CapturedAmount ?? 0, CreditReasonCode = reservation.ReasonCode ?? canceled.CreditReasonCode };
        await QuotaUsage.ReturnAsync(session, canceled, ct);
        session.UpdateRevision(canceled, canceled.Version + 1);
        JobUpdates.CancelOnCommit(session, canceled.Id); // the node running it, whichever it is, stops it
        return canceled;
    }
}
