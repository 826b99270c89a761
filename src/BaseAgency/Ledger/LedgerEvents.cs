namespace BaseAgency.Ledger;

// The credit ledger's facts. One stream per organization (stream id = organization id); every credit
// movement is one of these. Amounts are whole credits. Fields added since events were first stored are
// optional at the end, so older streams still replay.

/// <summary>
/// Where a bucket of credits came from; decides whether and when it expires. Stored by name in events
/// already written, so the API shows it as <see cref="CreditKind"/> (plan, paid, promotional).
/// </summary>
public enum BucketKind { Plan, Purchased, Bonus }

/// <summary>Why credits held for work were spent, given back or refunded: shown on statement lines and jobs.</summary>
public enum CreditReason
{
    /// <summary>The work succeeded: its actual cost is charged, the rest of the hold goes back.</summary>
    Completed,
    ProviderError,
    ProviderTimeout,
    ContentPolicy,
    CanceledBeforeStart,
    /// <summary>Canceled while the provider worked: a configured share is charged, the rest goes back.</summary>
    CanceledAfterStart,
    /// <summary>Our own fault (a bug, a provider not configured here): everything goes back.</summary>
    InternalError,
    /// <summary>Nobody closed the hold in time; it went back whole.</summary>
    ReservationTimeout,
}

/// <summary>How many credits a reservation or a return took from (or gave back to) one bucket.</summary>
public sealed record BucketDraw(Guid BucketId, int Amount);

/// <summary>Credits spent from, or given back to, one bucket, with what that bucket was, so it can be made again once emptied.</summary>
public sealed record BucketCredit(Guid BucketId, BucketKind Kind, int Amount, DateTimeOffset? ExpiresAt);

public sealed record CreditAccountOpened(Guid OrganizationId, DateTimeOffset At);

/// <summary>Credits given: the plan's monthly credits, a sign-up or promotional bonus, an operator grant.</summary>
public sealed record CreditsGranted(Guid BucketId, BucketKind Kind, int Amount, DateTimeOffset? ExpiresAt,
    string Reason, string Reference, DateTimeOffset At);

public sealed record CreditsPurchased(Guid BucketId, Guid PurchaseId, string PackId, int Amount, DateTimeOffset At);

/// <param name="UserId">The member whose work the credits are held for (and, with <paramref name="ApiKeyId"/>, the key they used), when known.</param>
public sealed record CreditsReserved(Guid ReservationId, string Reference, int Amount, IReadOnlyList<BucketDraw> Draws,
    DateTimeOffset ExpiresAt, DateTimeOffset At, Guid? UserId = null, Guid? ApiKeyId = null);

/// <summary>
/// The reservation is spent: <see cref="Amount"/> is used (from the buckets in <see cref="Used"/>), <see cref="Returned"/>
/// goes back to its buckets. <see cref="Used"/> is what a later refund gives back.
/// </summary>
public sealed record ReservationCaptured(Guid ReservationId, int Amount, IReadOnlyList<BucketDraw> Returned, DateTimeOffset At,
    CreditReason? Code = null, IReadOnlyList<BucketCredit>? Used = null);

/// <summary>The reservation goes back whole; <see cref="Reason"/> is the text, <see cref="Code"/> the reason code.</summary>
public sealed record ReservationReleased(Guid ReservationId, IReadOnlyList<BucketDraw> Returned, string Reason, DateTimeOffset At,
    CreditReason? Code = null);

/// <summary>Credits of a capture given back, to the buckets they were spent from (see <see cref="CreditRules.Refund"/>).</summary>
public sealed record CreditsRefunded(Guid ReservationId, string Reference, int Amount, IReadOnlyList<BucketCredit> Credits, CreditReason Code,
    string Reason, DateTimeOffset At);

/// <summary>
/// An operator's correction. Positive: a new non-expiring bucket of <see cref="Kind"/>. Negative: taken from buckets.
/// <see cref="Reference"/>, when the request had an Idempotency-Key, makes it happen once however often it is retried.
/// </summary>
public sealed record CreditsAdjusted(Guid? BucketId, int Amount, IReadOnlyList<BucketDraw> Taken, string Reason, Guid ActorId, DateTimeOffset At,
    BucketKind Kind = BucketKind.Bonus, string? Reference = null);

public sealed record CreditsExpired(Guid BucketId, int Amount, DateTimeOffset At);

public sealed record PeriodRenewed(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Plan, DateTimeOffset At);
