using BaseAgency.Organizations;

namespace BaseAgency.Ledger;

/// <summary>
/// The seed's credit_transactions types, plus expiry, and a job's hold and its return in full (<see cref="Release"/>);
/// a capture is <see cref="Usage"/>, even when it charges only a share (its reason code says which).
/// </summary>
public enum CreditTransactionType { Purchase, Usage, Refund, Bonus, Subscription, Adjustment, Expiry, Hold, Release }

/// <summary>A bucket's kind as reports name it: plan credits (expire with their period), paid (never expire), promotional.</summary>
public enum CreditKind { Plan, Paid, Promotional }

/// <summary>Credits of one kind a statement line moved: negative when taken (spent, held, expired), positive when given.</summary>
public sealed record KindAmount(CreditKind Kind, int Amount);

/// <summary>
/// One line of the organization's statement. <see cref="Amount"/> is the change to the balance and <see cref="Held"/>
/// the change to reserved credits, so the lines add up to both: a job's hold is a line that holds (Held +n, Amount 0),
/// and its outcome the reversing line with a reason code: a release (Held −n) or a capture (Held −n, Amount −cost).
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
    Guid? ActorId = null,
    int Held = 0,
    CreditReason? ReasonCode = null,
    IReadOnlyList<KindAmount>? Buckets = null,
    Guid? ApiKeyId = null) : IOrganizationOwned;

public enum ReservationStatus { Open, Captured, Released }

/// <summary>
/// A reservation's state, kept after it closes so repeated calls get the first answer; a capture keeps the
/// buckets it spent (<see cref="Used"/>) for a refund.
/// </summary>
public sealed record CreditReservation(
    Guid Id,
    string Reference,
    int Amount,
    ReservationStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int? CapturedAmount = null,
    string? ReleaseReason = null,
    DateTimeOffset? ClosedAt = null,
    CreditReason? ReasonCode = null,
    IReadOnlyList<BucketCredit>? Used = null) : IOrganizationOwned;

public static class CreditKinds
{
    public static CreditKind Of(BucketKind kind) => kind switch
    {
        BucketKind.Plan => CreditKind.Plan,
        BucketKind.Purchased => CreditKind.Paid,
        _ => CreditKind.Promotional,
    };

    public static BucketKind BucketOf(CreditKind kind) => kind switch
    {
        CreditKind.Plan => BucketKind.Plan,
        CreditKind.Paid => BucketKind.Purchased,
        _ => BucketKind.Bonus,
    };
}

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
            // A job's hold and how it closed name the member (and key) whose work it was; other lines the actor, if any.
            CreditTransaction Line(string key, CreditTransactionType type, int amount, string? reference, string description, DateTimeOffset at,
                IEnumerable<KindAmount> buckets, int held = 0, CreditReason? code = null, OpenReservation? of = null) =>
                new(lineId, key, type, amount, state.Balance, state.Available, reference, description, at, of?.UserId ?? actorId, held, code,
                    Merge(buckets), of?.ApiKeyId);
            // A reservation's buckets stay in the account until it closes, so the account before the event knows their kinds.
            IEnumerable<KindAmount> Drawn(IEnumerable<BucketDraw> draws, int sign) =>
                draws.Select(d => new KindAmount(CreditKinds.Of(prior.Buckets.First(b => b.Id == d.BucketId).Kind), sign * d.Amount));

            switch (e)
            {
                case CreditsGranted g:
                    yield return Line($"grant:{g.Reference}", g.Kind == BucketKind.Plan ? CreditTransactionType.Subscription : CreditTransactionType.Bonus,
                        g.Amount, g.Reference, g.Reason, g.At, [new(CreditKinds.Of(g.Kind), g.Amount)]);
                    break;
                case CreditsPurchased p:
                    yield return Line($"purchase:{p.PurchaseId}", CreditTransactionType.Purchase, p.Amount, p.PurchaseId.ToString(), $"Credit pack {p.PackId}", p.At,
                        [new(CreditKind.Paid, p.Amount)]);
                    break;
                case CreditsReserved r:
                    yield return new CreditReservation(r.ReservationId, r.Reference, r.Amount, ReservationStatus.Open, r.At, r.ExpiresAt);
                    yield return Line($"hold:{r.ReservationId}", CreditTransactionType.Hold, 0, r.Reference, "Held", r.At, Drawn(r.Draws, -1), held: r.Amount,
                        of: state.Reservations[r.ReservationId]);
                    break;
                case ReservationCaptured c:
                    var captured = prior.Reservations[c.ReservationId];
                    yield return Opened(captured) with
                    {
                        Status = ReservationStatus.Captured, CapturedAmount = c.Amount, ClosedAt = c.At, ReasonCode = c.Code, Used = c.Used,
                    };
                    var code = c.Code ?? CreditReason.Completed;
                    yield return Line($"capture:{c.ReservationId}", c.Amount > 0 ? CreditTransactionType.Usage : CreditTransactionType.Release,
                        -c.Amount, captured.Reference, CreditRules.Describe(code), c.At,
                        (c.Used ?? []).Select(u => new KindAmount(CreditKinds.Of(u.Kind), -u.Amount)), held: -captured.Amount, code, captured);
                    break;
                case ReservationReleased r:
                    var released = prior.Reservations[r.ReservationId];
                    yield return Opened(released) with { Status = ReservationStatus.Released, ReleaseReason = r.Reason, ClosedAt = r.At, ReasonCode = r.Code };
                    yield return Line($"release:{r.ReservationId}", CreditTransactionType.Release, 0, released.Reference, r.Reason, r.At,
                        Drawn(r.Returned, +1), held: -released.Amount, r.Code, released);
                    break;
                case CreditsRefunded f:
                    yield return Line($"refund:{f.ReservationId}", CreditTransactionType.Refund, f.Amount, f.Reference, f.Reason, f.At,
                        f.Credits.Select(x => new KindAmount(CreditKinds.Of(x.Kind), x.Amount)), code: f.Code);
                    break;
                case CreditsAdjusted a:
                    // The reference names the operator's request: it keys the line and is not shown to the organization.
                    yield return Line(AdjustmentKey(a.Reference ?? Guid.CreateVersion7().ToString()), CreditTransactionType.Adjustment, a.Amount,
                        null, a.Reason, a.At,
                        a.Amount > 0 ? [new(CreditKinds.Of(a.Kind), a.Amount)] : Drawn(a.Taken, -1));
                    break;
                case CreditsExpired x:
                    yield return Line($"expire:{x.BucketId}:{x.At.UtcTicks}", CreditTransactionType.Expiry, -x.Amount, x.BucketId.ToString(), "Credits expired", x.At,
                        Drawn([new BucketDraw(x.BucketId, x.Amount)], -1));
                    break;
            }
        }
    }

    private static List<KindAmount> Merge(IEnumerable<KindAmount> amounts) =>
        amounts.GroupBy(a => a.Kind).Select(g => new KindAmount(g.Key, g.Sum(a => a.Amount))).Where(a => a.Amount != 0).OrderBy(a => a.Kind).ToList();

    private static CreditReservation Opened(OpenReservation r) =>
        new(r.Id, r.Reference, r.Amount, ReservationStatus.Open, r.CreatedAt, r.ExpiresAt);

    /// <summary>The statement line of an adjustment: unique per organization, so an adjustment with a reference is made once.</summary>
    public static string AdjustmentKey(string reference) => $"adjust:{reference}";
}
