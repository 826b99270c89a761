using BaseAgency.Organizations;

namespace BaseAgency.Ledger;

/// <summary>The seed's credit_transactions types, plus expiry.</summary>
public enum CreditTransactionType { Purchase, Usage, Refund, Bonus, Subscription, Adjustment, Expiry }

/// <summary>
/// One line of the organization's statement: a change to its balance. Reservations and releases move
/// credits between available and reserved without changing the balance, so they are not lines here.
/// <see cref="OperationKey"/> is unique per organization, which makes each ledger operation idempotent.
/// </summary>
public sealed record CreditTransaction(
    Guid Id,
    string OperationKey,
    CreditTransactionType Type,
    int Amount,
    int BalanceAfter,
    int AvailableAfter,
    string? Reference,
    string Description,
    DateTimeOffset CreatedAt,
    Guid? ActorId = null) : IOrganizationOwned;

public enum ReservationStatus { Open, Captured, Released }

/// <summary>A reservation's state, kept after it closes so repeated calls get the first answer.</summary>
public sealed record CreditReservation(
    Guid Id,
    string Reference,
    int Amount,
    ReservationStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int? CapturedAmount = null,
    string? ReleaseReason = null,
    DateTimeOffset? ClosedAt = null) : IOrganizationOwned;

/// <summary>Turns ledger events into statement lines and reservation states, given the account before them.</summary>
public static class LedgerViews
{
    public static IEnumerable<object> For(CreditAccount before, IEnumerable<object> events, Guid? actorId = null)
    {
        var state = before;
        var index = 0;
        foreach (var e in events)
        {
            // Ids are time-ordered (v7) and strictly increase within one batch, so "newest first" is id order.
            var lineId = Guid.CreateVersion7(DateTimeOffset.UtcNow.AddMilliseconds(index++));
            var prior = state;
            state = state.After(e);
            CreditTransaction Line(string key, CreditTransactionType type, int amount, string? reference, string description, DateTimeOffset at) =>
                new(lineId, key, type, amount, state.Balance, state.Available, reference, description, at, actorId);

            switch (e)
            {
                case CreditsGranted g:
                    yield return Line($"grant:{g.Reference}", g.Kind == BucketKind.Plan ? CreditTransactionType.Subscription : CreditTransactionType.Bonus,
                        g.Amount, g.Reference, g.Reason, g.At);
                    break;
                case CreditsPurchased p:
                    yield return Line($"purchase:{p.PurchaseId}", CreditTransactionType.Purchase, p.Amount, p.PurchaseId.ToString(), $"Credit pack {p.PackId}", p.At);
                    break;
                case CreditsReserved r:
                    yield return new CreditReservation(r.ReservationId, r.Reference, r.Amount, ReservationStatus.Open, r.At, r.ExpiresAt);
                    break;
                case ReservationCaptured c:
                    var captured = prior.Reservations[c.ReservationId];
                    yield return Opened(captured) with { Status = ReservationStatus.Captured, CapturedAmount = c.Amount, ClosedAt = c.At };
                    if (c.Amount > 0)
                        yield return Line($"capture:{c.ReservationId}", CreditTransactionType.Usage, -c.Amount, captured.Reference, "Used", c.At);
                    break;
                case ReservationReleased r:
                    yield return Opened(prior.Reservations[r.ReservationId]) with { Status = ReservationStatus.Released, ReleaseReason = r.Reason, ClosedAt = r.At };
                    break;
                case CreditsRefunded f:
                    yield return Line($"refund:{f.Reference}", CreditTransactionType.Refund, f.Amount, f.Reference, f.Reason, f.At);
                    break;
                case CreditsAdjusted a:
                    yield return Line($"adjust:{Guid.CreateVersion7()}", CreditTransactionType.Adjustment, a.Amount, null, a.Reason, a.At);
                    break;
                case CreditsExpired x:
                    yield return Line($"expire:{x.BucketId}:{x.At.UtcTicks}", CreditTransactionType.Expiry, -x.Amount, x.BucketId.ToString(), "Credits expired", x.At);
                    break;
            }
        }
    }

    private static CreditReservation Opened(OpenReservation r) =>
        new(r.Id, r.Reference, r.Amount, ReservationStatus.Open, r.CreatedAt, r.ExpiresAt);
}
