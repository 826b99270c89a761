namespace BaseAgency.Ledger;

/// <summary>Why the ledger said no.</summary>
public abstract record LedgerRejection(string Code, string Message);

public sealed record InsufficientCredits(int Required, int Available)
    : LedgerRejection("insufficient_credits", $"This needs {Required} credits; {Available} are available.");

public sealed record ReservationClosed(Guid ReservationId, string Status)
    : LedgerRejection("reservation_closed", $"The reservation was already {Status}.");

public sealed record InvalidLedgerAmount(string Reason) : LedgerRejection("invalid_amount", Reason);

public sealed record SpendCapReached(int Cap, int UsedOrReserved, int Required)
    : LedgerRejection("spend_cap_reached", $"The cap is {Cap} credits a period; {UsedOrReserved} are used or reserved and this needs {Required}.");

/// <summary>Either the events to append, or why not.</summary>
public sealed record Decision(IReadOnlyList<object> Events, LedgerRejection? Rejection = null)
{
    public static Decision Reject(LedgerRejection why) => new([], why);
    public static implicit operator Decision(List<object> events) => new(events, null);
}

/// <summary>
/// The ledger's rules as pure functions of (account, request, now) → events. Spending takes the bucket
/// that expires first; credits past their expiry are expired before anything else moves.
/// </summary>
public static class CreditRules
{
    /// <param name="userId">Who the credits are held for (with <paramref name="apiKeyId"/>, the key they used): shown on the hold and on how it closes.</param>
    public static Decision Reserve(CreditAccount account, Guid reservationId, string reference, int amount, DateTimeOffset now, DateTimeOffset expiresAt,
        Guid? userId = null, Guid? apiKeyId = null)
    {
        if (amount <= 0) return Decision.Reject(new InvalidLedgerAmount("A reservation must be at least 1 credit."));
        var events = ExpireDue(account, now);
        var state = Fold(account, events);
        if (state.Available < amount) return Decision.Reject(new InsufficientCredits(amount, state.Available));

        events.Add(new CreditsReserved(reservationId, reference, amount, Draw(state, amount, now), expiresAt, now, userId, apiKeyId));
        return events;
    }

    /// <summary>
    /// Spends <paramref name="finalAmount"/> (at most what was reserved); the rest goes back to its buckets. What is
    /// spent is recorded with each bucket's kind and expiry, so a later refund puts it back where it came from.
    /// </summary>
    public static Decision Capture(CreditAccount account, Guid reservationId, int finalAmount, CreditReason reason, DateTimeOffset now)
    {
        if (!account.Reservations.TryGetValue(reservationId, out var reservation))
            return Decision.Reject(new ReservationClosed(reservationId, "closed"));
        if (finalAmount < 0 || finalAmount > reservation.Amount)
            return Decision.Reject(new InvalidLedgerAmount($"The final amount must be between 0 and the {reservation.Amount} reserved."));

        // The draws were taken in spending order, so what is used comes from the earliest-expiring buckets.
        // A reservation's buckets stay in the account while it is open (even emptied), so each is found.
        var left = finalAmount;
        var returned = new List<BucketDraw>();
        var used = new List<BucketCredit>();
        foreach (var draw in reservation.Draws)
        {
            var spent = Math.Min(draw.Amount, left);
            left -= spent;
            if (draw.Amount > spent) returned.Add(draw with { Amount = draw.Amount - spent });
            if (spent > 0 && account.Buckets.Find(b => b.Id == draw.BucketId) is { } bucket)
                used.Add(new BucketCredit(bucket.Id, bucket.Kind, spent, bucket.ExpiresAt));
        }
        return AndExpire(account, new ReservationCaptured(reservationId, finalAmount, returned, now, reason, used), now);
    }

    public static Decision Release(CreditAccount account, Guid reservationId, CreditReason reason, DateTimeOffset now) =>
        account.Reservations.TryGetValue(reservationId, out var reservation)
            ? AndExpire(account, new ReservationReleased(reservationId, reservation.Draws, Describe(reason), now, reason), now)
            : Decision.Reject(new ReservationClosed(reservationId, "closed"));

    /// <summary>
    /// What a cancel after the provider started charges: <paramref name="share"/> (0–1) of what was reserved,
    /// rounded down, in the customer's favour.
    /// </summary>
    public static int CancelCharge(int reserved, decimal share) => (int)Math.Floor(reserved * Math.Clamp(share, 0m, 1m));

    /// <summary>
    /// Gives a capture back whole, to the buckets it was spent from: paid stays paid, plan credits return to
    /// their plan bucket with its expiry. Credits whose bucket has expired since (or that were captured before
    /// captures recorded their buckets) come back as promotional credits that never expire: a refund the
    /// customer is owed is never one that expires at once.
    /// </summary>
    public static Decision Refund(CreditAccount account, CreditReservation captured, CreditReason reason, DateTimeOffset now)
    {
        if (captured is not { Status: ReservationStatus.Captured, CapturedAmount: > 0 and var amount })
            return Decision.Reject(new InvalidLedgerAmount("Only a capture of at least 1 credit can be refunded."));
        if (amount > account.LifetimeUsed)
            return Decision.Reject(new InvalidLedgerAmount($"A refund cannot exceed the {account.LifetimeUsed} credits used."));

        var credits = (captured.Used ?? []).Where(c => !(c.ExpiresAt <= now)).ToList();
        var unplaced = amount - credits.Sum(c => c.Amount);
        if (unplaced > 0) credits.Add(new BucketCredit(NewId(), BucketKind.Bonus, unplaced, null));
        return AndExpireFirst(account, new CreditsRefunded(captured.Id, captured.Reference, amount, credits, reason, Describe(reason), now), now);
    }

    public static Decision Grant(CreditAccount account, BucketKind kind, int amount, DateTimeOffset? expiresAt, string reason, string reference, DateTimeOffset now)
    {
        if (amount <= 0) return Decision.Reject(new InvalidLedgerAmount("A grant must be at least 1 credit."));
        if (expiresAt <= now) return Decision.Reject(new InvalidLedgerAmount("A grant cannot expire in the past."));
        return AndExpireFirst(account, new CreditsGranted(NewId(), kind, amount, expiresAt, reason, reference, now), now);
    }

    public static Decision Purchase(CreditAccount account, Guid purchaseId, string packId, int amount, DateTimeOffset now) =>
        amount <= 0
            ? Decision.Reject(new InvalidLedgerAmount("A purchase must be at least 1 credit."))
            : AndExpireFirst(account, new CreditsPurchased(NewId(), purchaseId, packId, amount, now), now);

    /// <summary>
    /// An operator's correction. A positive one is a new non-expiring bucket of <paramref name="kind"/> (paid or
    /// promotional: paid credits given back stay paid); a negative one takes in spending order, at most what is available.
    /// </summary>
    public static Decision Adjust(CreditAccount account, int amount, BucketKind kind, string reason, Guid actorId, DateTimeOffset now,
        string? reference = null)
    {
        if (amount == 0) return Decision.Reject(new InvalidLedgerAmount("An adjustment cannot be zero."));
        if (kind == BucketKind.Plan) return Decision.Reject(new InvalidLedgerAmount("Plan credits come with the plan, not by adjustment."));
        var events = ExpireDue(account, now);
        var state = Fold(account, events);
        if (amount > 0)
        {
            events.Add(new CreditsAdjusted(NewId(), amount, [], reason, actorId, now, kind, reference));
            return events;
        }
        if (state.Available < -amount) return Decision.Reject(new InsufficientCredits(-amount, state.Available));
        events.Add(new CreditsAdjusted(null, amount, Draw(state, -amount, now), reason, actorId, now, Reference: reference));
        return events;
    }

    /// <summary>
    /// Takes back the credits of a purchase whose money was refunded, from paid (purchased) credits only, never from
    /// plan or promotional ones; refused when fewer paid credits are available (some were spent or are reserved).
    /// </summary>
    public static Decision TakeBack(CreditAccount account, int amount, string reason, Guid actorId, DateTimeOffset now)
    {
        if (amount <= 0) return Decision.Reject(new InvalidLedgerAmount("A take-back must be at least 1 credit."));
        var events = ExpireDue(account, now);
        var state = Fold(account, events);
        var paid = state with { Buckets = [.. state.Buckets.Where(b => b.Kind == BucketKind.Purchased)] };
        if (paid.Available < amount) return Decision.Reject(new InsufficientCredits(amount, paid.Available));
        events.Add(new CreditsAdjusted(null, -amount, Draw(paid, amount, now), reason, actorId, now));
        return events;
    }

    /// <summary>A new period: what is left of the old plan credits expires and the plan's credits are granted again.</summary>
    public static Decision Renew(CreditAccount account, DateTimeOffset periodStart, DateTimeOffset periodEnd, string plan, int planCredits, DateTimeOffset now)
    {
        var events = ExpireDue(account, periodStart > now ? periodStart : now);
        events.AddRange(Fold(account, events).Buckets
            .Where(b => b is { Kind: BucketKind.Plan, Remaining: > 0 })
            .Select(b => (object)new CreditsExpired(b.Id, b.Remaining, now)));
        events.Add(new PeriodRenewed(periodStart, periodEnd, plan, now));
        if (planCredits > 0)
            events.Add(new CreditsGranted(NewId(), BucketKind.Plan, planCredits, periodEnd, $"{plan} plan credits", PeriodGrant(periodStart, plan), now));
        return events;
    }

    /// <summary>The reference of a period's plan credits: one grant per period start and plan, whichever path makes it.</summary>
    public static string PeriodGrant(DateTimeOffset periodStart, string plan) => $"period:{periodStart:O}:{plan}";

    /// <summary>What the account looks like once credits past their expiry are expired (for reading).</summary>
    public static CreditAccount AsOf(CreditAccount account, DateTimeOffset now) => Fold(account, ExpireDue(account, now));

    public static List<object> ExpireDue(CreditAccount account, DateTimeOffset now) =>
        account.Buckets.Where(b => b.Remaining > 0 && b.HasExpired(now)).Select(b => (object)new CreditsExpired(b.Id, b.Remaining, now)).ToList();

    public static CreditAccount Fold(CreditAccount account, IEnumerable<object> events) => events.Aggregate(account, (a, e) => a.After(e));

    /// <summary>The words a statement line and a released reservation show for a reason code.</summary>
    public static string Describe(CreditReason reason) => reason switch
    {
        CreditReason.Completed => "Used",
        CreditReason.ProviderError => "Returned in full: the provider failed",
        CreditReason.ProviderTimeout => "Returned in full: the provider timed out",
        CreditReason.ContentPolicy => "Returned in full: refused under the provider's content policy",
        CreditReason.CanceledBeforeStart => "Returned in full: canceled before the provider started",
        CreditReason.CanceledAfterStart => "Canceled after the provider started: a share is charged, the rest returned",
        CreditReason.InternalError => "Returned in full: failed on our side",
        CreditReason.ReservationTimeout => "Returned in full: held too long",
        _ => reason.ToString(),
    };

    private static List<BucketDraw> Draw(CreditAccount account, int amount, DateTimeOffset now)
    {
        var draws = new List<BucketDraw>();
        foreach (var bucket in account.Buckets
                     .Where(b => b.Remaining > 0 && !b.HasExpired(now))
                     .OrderBy(b => b.ExpiresAt ?? DateTimeOffset.MaxValue)
                     .ThenBy(b => b.CreatedAt))
        {
            if (amount == 0) break;
            var take = Math.Min(bucket.Remaining, amount);
            draws.Add(new BucketDraw(bucket.Id, take));
            amount -= take;
        }
        return draws;
    }

    private static Decision AndExpire(CreditAccount account, object movement, DateTimeOffset now)
    {
        var events = new List<object> { movement };
        events.AddRange(ExpireDue(account.After(movement), now));
        return events;
    }

    private static Decision AndExpireFirst(CreditAccount account, object movement, DateTimeOffset now)
    {
        var events = ExpireDue(account, now);
        events.Add(movement);
        return events;
    }

    private static Guid NewId() => Guid.CreateVersion7();
}
