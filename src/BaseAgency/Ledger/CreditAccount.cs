using System.Collections.Immutable;
using BaseAgency.Organizations;

namespace BaseAgency.Ledger;

public sealed record CreditBucket(Guid Id, BucketKind Kind, int Remaining, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt)
{
    public bool HasExpired(DateTimeOffset now) => ExpiresAt <= now;
}

public sealed record OpenReservation(Guid Id, string Reference, int Amount, IReadOnlyList<BucketDraw> Draws, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    Guid? UserId = null, Guid? ApiKeyId = null);

/// <summary>
/// An organization's credits, folded from its ledger stream. Immutable: each event gives a new state,
/// so rules can look ahead without touching what Marten holds. Stored as an inline snapshot (the
/// balance view) in the same transaction as the events.
/// </summary>
public sealed record CreditAccount(
    Guid Id,
    ImmutableList<CreditBucket> Buckets,
    ImmutableDictionary<Guid, OpenReservation> Reservations,
    int LifetimePurchased,
    int LifetimeUsed,
    int LifetimeBonus,
    int LifetimeGranted,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    int PeriodUsed) : IOrganizationOwned
{
    /// <summary>Credits that can be reserved now (bucket remainders; expired ones are expired on the next movement).</summary>
    public int Available => Buckets.Sum(b => b.Remaining);
    public int Reserved => Reservations.Values.Sum(r => r.Amount);
    /// <summary>Everything the organization holds: available plus reserved.</summary>
    public int Balance => Available + Reserved;

    /// <summary>Credits available of one kind (plan, paid, promotional).</summary>
    public int Remaining(CreditKind kind) => Buckets.Where(b => CreditKinds.Of(b.Kind) == kind).Sum(b => b.Remaining);

    public static CreditAccount Create(CreditAccountOpened e) =>
        new(e.OrganizationId, [], ImmutableDictionary<Guid, OpenReservation>.Empty, 0, 0, 0, 0, null, null, 0);

    public CreditAccount Apply(CreditsGranted e) => this with
    {
        Buckets = Buckets.Add(new CreditBucket(e.BucketId, e.Kind, e.Amount, e.ExpiresAt, e.At)),
        LifetimeGranted = LifetimeGranted + e.Amount,
        LifetimeBonus = LifetimeBonus + (e.Kind == BucketKind.Bonus ? e.Amount : 0),
    };

    public CreditAccount Apply(CreditsPurchased e) => this with
    {
        Buckets = Buckets.Add(new CreditBucket(e.BucketId, BucketKind.Purchased, e.Amount, null, e.At)),
        LifetimePurchased = LifetimePurchased + e.Amount,
    };

    public CreditAccount Apply(CreditsReserved e)
    {
        var reservations = Reservations.Add(e.ReservationId, new OpenReservation(e.ReservationId, e.Reference, e.Amount, e.Draws, e.At, e.ExpiresAt, e.UserId, e.ApiKeyId));
        return this with { Buckets = Prune(Take(Buckets, e.Draws), reservations), Reservations = reservations };
    }

    public CreditAccount Apply(ReservationCaptured e)
    {
        var reservations = Reservations.Remove(e.ReservationId);
        return this with
        {
            Buckets = Prune(Give(Buckets, e.Returned), reservations),
            Reservations = reservations,
            LifetimeUsed = LifetimeUsed + e.Amount,
            PeriodUsed = PeriodUsed + e.Amount,
        };
    }

    public CreditAccount Apply(ReservationReleased e)
    {
        var reservations = Reservations.Remove(e.ReservationId);
        return this with { Buckets = Prune(Give(Buckets, e.Returned), reservations), Reservations = reservations };
    }

    public CreditAccount Apply(CreditsRefunded e) => this with
    {
        Buckets = e.Credits.Aggregate(Buckets, (all, c) => all.Any(b => b.Id == c.BucketId)
            ? Give(all, [new BucketDraw(c.BucketId, c.Amount)])
            : all.Add(new CreditBucket(c.BucketId, c.Kind, c.Amount, c.ExpiresAt, e.At))), // emptied and dropped since: made again
        LifetimeUsed = LifetimeUsed - e.Amount,
        PeriodUsed = Math.Max(0, PeriodUsed - e.Amount),
    };

    public CreditAccount Apply(CreditsAdjusted e) => e.Amount >= 0
        ? this with { Buckets = Buckets.Add(new CreditBucket(e.BucketId!.Value, e.Kind, e.Amount, null, e.At)) }
        : this with { Buckets = Prune(Take(Buckets, e.Taken), Reservations) };

    public CreditAccount Apply(CreditsExpired e) =>
        this with { Buckets = Prune(Take(Buckets, [new BucketDraw(e.BucketId, e.Amount)]), Reservations) };

    public CreditAccount Apply(PeriodRenewed e) => this with { PeriodStart = e.PeriodStart, PeriodEnd = e.PeriodEnd, PeriodUsed = 0 };

    /// <summary>Applies any ledger event (used by rules to look ahead and by the transaction history).</summary>
    public CreditAccount After(object e) => e switch
    {
        CreditsGranted x => Apply(x),
        CreditsPurchased x => Apply(x),
        CreditsReserved x => Apply(x),
        ReservationCaptured x => Apply(x),
        ReservationReleased x => Apply(x),
        CreditsRefunded x => Apply(x),
        CreditsAdjusted x => Apply(x),
        CreditsExpired x => Apply(x),
        PeriodRenewed x => Apply(x),
        _ => this,
    };

    private static ImmutableList<CreditBucket> Take(ImmutableList<CreditBucket> buckets, IEnumerable<BucketDraw> draws) =>
        draws.Aggregate(buckets, (all, d) => all.Select(b => b.Id == d.BucketId ? b with { Remaining = b.Remaining - d.Amount } : b).ToImmutableList());

    private static ImmutableList<CreditBucket> Give(ImmutableList<CreditBucket> buckets, IEnumerable<BucketDraw> returns) =>
        returns.Aggregate(buckets, (all, d) => all.Select(b => b.Id == d.BucketId ? b with { Remaining = b.Remaining + d.Amount } : b).ToImmutableList());

    // An empty bucket is dropped once no open reservation can give credits back to it.
    private static ImmutableList<CreditBucket> Prune(ImmutableList<CreditBucket> buckets, ImmutableDictionary<Guid, OpenReservation> open)
    {
        var referenced = open.Values.SelectMany(r => r.Draws).Select(d => d.BucketId).ToHashSet();
        return buckets.RemoveAll(b => b.Remaining == 0 && !referenced.Contains(b.Id));
    }
}
