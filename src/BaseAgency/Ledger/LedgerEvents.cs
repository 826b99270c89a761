namespace BaseAgency.Ledger;

// The credit ledger's facts. One stream per organization (stream id = organization id); every credit
// movement is one of these. Amounts are whole credits.

/// <summary>Where a bucket of credits came from; decides whether and when it expires.</summary>
public enum BucketKind { Plan, Purchased, Bonus }

/// <summary>How many credits a reservation or a return took from (or gave back to) one bucket.</summary>
public sealed record BucketDraw(Guid BucketId, int Amount);

public sealed record CreditAccountOpened(Guid OrganizationId, DateTimeOffset At);

/// <summary>Credits given: the plan's monthly credits, a sign-up or promotional bonus, an operator grant.</summary>
public sealed record CreditsGranted(Guid BucketId, BucketKind Kind, int Amount, DateTimeOffset? ExpiresAt,
    string Reason, string Reference, DateTimeOffset At);

public sealed record CreditsPurchased(Guid BucketId, Guid PurchaseId, string PackId, int Amount, DateTimeOffset At);

public sealed record CreditsReserved(Guid ReservationId, string Reference, int Amount, IReadOnlyList<BucketDraw> Draws,
    DateTimeOffset ExpiresAt, DateTimeOffset At);

/// <summary>The reservation is spent: <see cref="Amount"/> is used, <see cref="Returned"/> goes back to its buckets.</summary>
public sealed record ReservationCaptured(Guid ReservationId, int Amount, IReadOnlyList<BucketDraw> Returned, DateTimeOffset At);

public sealed record ReservationReleased(Guid ReservationId, IReadOnlyList<BucketDraw> Returned, string Reason, DateTimeOffset At);

/// <summary>Credits given back for something already charged (a new non-expiring bucket).</summary>
public sealed record CreditsRefunded(Guid BucketId, int Amount, string Reference, string Reason, DateTimeOffset At);

/// <summary>An operator's correction. Positive: a new non-expiring bucket. Negative: taken from buckets.</summary>
public sealed record CreditsAdjusted(Guid? BucketId, int Amount, IReadOnlyList<BucketDraw> Taken, string Reason, Guid ActorId, DateTimeOffset At);

public sealed record CreditsExpired(Guid BucketId, int Amount, DateTimeOffset At);

public sealed record PeriodRenewed(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Plan, DateTimeOffset At);
