using System.Security.Cryptography;
using System.Text;
using BaseAgency.Organizations;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Ledger;

/// <summary>Configuration section "Ledger".</summary>
public sealed class LedgerOptions
{
    /// <summary>A reservation neither captured nor released by then is released automatically.</summary>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

public sealed record ReserveResult(CreditReservation? Reservation, LedgerRejection? Rejection);

/// <summary>Durable timeout for a reservation nobody closed (scheduled when it is made).</summary>
public sealed record ReleaseStaleReservation(Guid OrganizationId, Guid ReservationId);

/// <summary>
/// The one way to move credits. Every operation locks the organization's ledger stream (a row lock,
/// held until the caller's transaction ends), so movements of one organization happen one at a time
/// and a balance can never be overspent. Each stages events and views in the caller's session, opened
/// for that organization; the caller saves, together with whatever else it changes.
/// Every operation is idempotent on its reference: repeating one changes nothing.
/// </summary>
public sealed class CreditLedger(TimeProvider clock, IOptions<LedgerOptions> options)
{
    /// <summary>Reservation ids derive from the caller's reference, so a retried reserve finds the first.</summary>
    public static Guid ReservationIdFor(string reference) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("reservation:" + reference)).AsSpan(0, 16));

    /// <summary>
    /// Opens a new organization's account with its first period's plan credits, in the session that creates
    /// the organization, so the credits are there the moment it exists. Fails on save if the account exists.
    /// </summary>
    public void Open(IDocumentSession session, Guid organizationId, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        string plan, int planCredits)
    {
        var now = clock.GetUtcNow();
        var opened = new CreditAccountOpened(organizationId, now);
        var account = CreditAccount.Create(opened);
        var events = CreditRules.Renew(account, periodStart, periodEnd, plan, planCredits, now).Events;
        session.Events.StartStream<CreditAccount>(organizationId, [opened, .. events]);
        foreach (var view in LedgerViews.For(account, events)) session.Store(view);
    }

    /// <param name="timeout">How long the reservation may stay open; <see cref="LedgerOptions.ReservationTimeout"/> when null.</param>
    public async Task<ReserveResult> ReserveAsync(IDocumentSession session, IMessageBus outbox, Guid organizationId, int amount,
        string reference, CancellationToken ct, TimeSpan? timeout = null) =>
        await ReserveAsync(session, outbox, await LockAccountAsync(session, organizationId, ct), amount, reference, ct, timeout);

    /// <summary>
    /// Takes the organization's ledger lock (held until the caller's transaction ends) and reads its account,
    /// staging nothing: a caller that must check more than credits (a quota, a repeated request) decides under
    /// the lock, then reserves or releases on it, and leaves nothing behind when it says no.
    /// </summary>
    public async Task<LockedAccount> LockAccountAsync(IDocumentSession session, Guid organizationId, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<CreditAccount>(organizationId, ct);
        if (stream.Aggregate is { } account) return new(organizationId, stream, account, null);

        // The account is opened with the organization (Open, at sign-up); this covers organizations made without it.
        var opened = new CreditAccountOpened(organizationId, clock.GetUtcNow());
        return new(organizationId, stream, CreditAccount.Create(opened), opened);
    }

    /// <summary>Reserves on an account locked by <see cref="LockAccountAsync"/>; a rejection stages nothing.</summary>
    /// <param name="timeout">How long the reservation may stay open; <see cref="LedgerOptions.ReservationTimeout"/> when null.</param>
    /// <param name="userId">Who the credits are held for, and <paramref name="apiKeyId"/> the key they used: the statement names them.</param>
    public async Task<ReserveResult> ReserveAsync(IDocumentSession session, IMessageBus outbox, LockedAccount locked, int amount,
        string reference, CancellationToken ct, TimeSpan? timeout = null, Guid? userId = null, Guid? apiKeyId = null)
    {
        var id = ReservationIdFor(reference);
        if (await session.LoadAsync<CreditReservation>(id, ct) is { } existing) return new(existing, null);

        var now = clock.GetUtcNow();
        var expires = now + (timeout ?? options.Value.ReservationTimeout);
        var decision = CreditRules.Reserve(locked.Account, id, reference, amount, now, expires, userId, apiKeyId);
        if (decision.Rejection is { } why) return new(null, why);

        var views = Append(session, locked, decision.Events);
        await outbox.ScheduleAsync(new ReleaseStaleReservation(locked.OrganizationId, id), expires,
            new DeliveryOptions { TenantId = Tenancy.TenantOf(locked.OrganizationId) });
        return new(views.OfType<CreditReservation>().Single(), null);
    }

    /// <summary>Spends what the work actually cost (at most what was reserved) and returns the rest. Capturing twice changes nothing.</summary>
    public async Task<ReserveResult> CaptureAsync(IDocumentSession session, Guid organizationId, Guid reservationId, int finalAmount, CancellationToken ct,
        CreditReason reason = CreditReason.Completed) =>
        await CaptureAsync(session, await LockAccountAsync(session, organizationId, ct), reservationId, finalAmount, reason, ct);

    /// <summary>Captures on an account locked by <see cref="LockAccountAsync"/>; <paramref name="reason"/> is the statement's reason code.</summary>
    public async Task<ReserveResult> CaptureAsync(IDocumentSession session, LockedAccount locked, Guid reservationId, int finalAmount,
        CreditReason reason, CancellationToken ct)
    {
        var reservation = await session.LoadAsync<CreditReservation>(reservationId, ct);
        switch (reservation?.Status)
        {
            case null: return new(null, new ReservationClosed(reservationId, "never made"));
            case ReservationStatus.Captured: return new(reservation, null);
            case ReservationStatus.Released: return new(reservation, new ReservationClosed(reservationId, "released"));
        }
        var decision = CreditRules.Capture(locked.Account, reservationId, finalAmount, reason, clock.GetUtcNow());
        if (decision.Rejection is { } why) return new(null, why);
        return new(Append(session, locked, decision.Events).OfType<CreditReservation>().Single(), null);
    }

    /// <summary>Gives a reservation back whole (failure, cancel, timeout). Releasing twice changes nothing.</summary>
    public async Task<ReserveResult> ReleaseAsync(IDocumentSession session, Guid organizationId, Guid reservationId, CreditReason reason, CancellationToken ct) =>
        await ReleaseAsync(session, await LockAccountAsync(session, organizationId, ct), reservationId, reason, ct);

    /// <summary>Gives a reservation back whole on an account locked by <see cref="LockAccountAsync"/>.</summary>
    public async Task<ReserveResult> ReleaseAsync(IDocumentSession session, LockedAccount locked, Guid reservationId, CreditReason reason, CancellationToken ct)
    {
        var reservation = await session.LoadAsync<CreditReservation>(reservationId, ct);
        switch (reservation?.Status)
        {
            case null: return new(null, new ReservationClosed(reservationId, "never made"));
            case ReservationStatus.Released: return new(reservation, null);
            case ReservationStatus.Captured: return new(reservation, new ReservationClosed(reservationId, "captured"));
        }
        var decision = CreditRules.Release(locked.Account, reservationId, reason, clock.GetUtcNow());
        if (decision.Rejection is { } why) return new(null, why);
        return new(Append(session, locked, decision.Events).OfType<CreditReservation>().Single(), null);
    }

    public Task<LedgerRejection?> GrantAsync(IDocumentSession session, Guid organizationId, BucketKind kind, int amount,
        DateTimeOffset? expiresAt, string reason, string reference, CancellationToken ct) =>
        OnceAsync(session, organizationId, $"grant:{reference}",
            account => CreditRules.Grant(account, kind, amount, expiresAt, reason, reference, clock.GetUtcNow()), null, ct);

    public Task<LedgerRejection?> PurchaseAsync(IDocumentSession session, Guid organizationId, Guid purchaseId, string packId, int amount, CancellationToken ct) =>
        OnceAsync(session, organizationId, $"purchase:{purchaseId}",
            account => CreditRules.Purchase(account, purchaseId, packId, amount, clock.GetUtcNow()), null, ct);

    /// <summary>
    /// Gives a capture back whole, to the buckets it was spent from (<see cref="CreditRules.Refund"/>). Once per
    /// reservation: refunding again changes nothing.
    /// </summary>
    public async Task<LedgerRejection?> RefundAsync(IDocumentSession session, Guid organizationId, Guid reservationId, CreditReason reason, CancellationToken ct)
    {
        // Read before the lock: a reservation's view does not change once captured.
        var captured = await session.LoadAsync<CreditReservation>(reservationId, ct);
        if (captured is null) return new ReservationClosed(reservationId, "never made");
        return await OnceAsync(session, organizationId, $"refund:{reservationId}",
            account => CreditRules.Refund(account, captured, reason, clock.GetUtcNow()), null, ct);
    }

    /// <summary>An operator's correction; a positive one lands in a bucket of <paramref name="kind"/> (paid or promotional).</summary>
    public async Task<LedgerRejection?> AdjustAsync(IDocumentSession session, Guid organizationId, int amount, BucketKind kind, string reason, Guid actorId,
        CancellationToken ct) =>
        Adjust(session, await LockAccountAsync(session, organizationId, ct), amount, kind, reason, actorId, reference: null);

    /// <summary>
    /// An operator's correction on an account locked by <see cref="LockAccountAsync"/>; with a <paramref name="reference"/> it is
    /// made once (see <see cref="AppliedAsync"/>), and the statement line's key refuses a second one at commit.
    /// </summary>
    public LedgerRejection? Adjust(IDocumentSession session, LockedAccount locked, int amount, BucketKind kind, string reason, Guid actorId,
        string? reference)
    {
        var decision = CreditRules.Adjust(locked.Account, amount, kind, reason, actorId, clock.GetUtcNow(), reference);
        if (decision.Rejection is null) Append(session, locked, decision.Events, actorId);
        return decision.Rejection;
    }

    /// <summary>Whether the operation with this statement key was made (ask under the ledger lock for an answer that holds).</summary>
    public static Task<bool> AppliedAsync(IQuerySession session, string operationKey, CancellationToken ct) =>
        session.Query<CreditTransaction>().AnyAsync(t => t.OperationKey == operationKey, ct);

    /// <summary>
    /// Takes a refunded purchase's credits back (<see cref="CreditRules.TakeBack"/>) on an account locked by
    /// <see cref="LockAccountAsync"/>, so a caller can check first, call the payment provider, then take them.
    /// </summary>
    public LedgerRejection? TakeBack(IDocumentSession session, LockedAccount locked, int amount, string reason, Guid actorId)
    {
        var decision = CreditRules.TakeBack(locked.Account, amount, reason, actorId, clock.GetUtcNow());
        if (decision.Rejection is null) Append(session, locked, decision.Events, actorId);
        return decision.Rejection;
    }

    /// <summary>Starts a new plan period: old plan credits expire, the plan's credits are granted again.</summary>
    public Task<LedgerRejection?> RenewAsync(IDocumentSession session, Guid organizationId, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        string plan, int planCredits, CancellationToken ct) =>
        OnceAsync(session, organizationId, $"grant:{CreditRules.PeriodGrant(periodStart, plan)}",
            account => CreditRules.Renew(account, periodStart, periodEnd, plan, planCredits, clock.GetUtcNow()), null, ct);

    /// <summary>The account as it stands now, with credits past their expiry already left out.</summary>
    public async Task<CreditAccount?> ReadAsync(IQuerySession session, Guid organizationId, CancellationToken ct) =>
        await session.LoadAsync<CreditAccount>(organizationId, ct) is { } account ? CreditRules.AsOf(account, clock.GetUtcNow()) : null;

    private async Task<LedgerRejection?> OnceAsync(IDocumentSession session, Guid organizationId, string operationKey,
        Func<CreditAccount, Decision> decide, Guid? actorId, CancellationToken ct)
    {
        var (stream, account) = await LockAsync(session, organizationId, ct);
        if (await session.Query<CreditTransaction>().AnyAsync(t => t.OperationKey == operationKey, ct)) return null;
        var decision = decide(account);
        if (decision.Rejection is null) Append(session, stream, account, decision.Events, actorId);
        return decision.Rejection;
    }

    private static List<object> Append(IDocumentSession session, IEventStream<CreditAccount> stream, CreditAccount account,
        IReadOnlyList<object> events, Guid? actorId = null)
    {
        stream.AppendMany(events);
        var views = LedgerViews.For(account, events, actorId).ToList();
        foreach (var view in views) session.Store(view);
        return views;
    }

    private async Task<(IEventStream<CreditAccount> Stream, CreditAccount Account)> LockAsync(IDocumentSession session, Guid organizationId, CancellationToken ct)
    {
        var locked = await LockAccountAsync(session, organizationId, ct);
        locked.StageOpening();
        return (locked.Stream, locked.Account);
    }

    private static List<object> Append(IDocumentSession session, LockedAccount locked, IReadOnlyList<object> events, Guid? actorId = null)
    {
        locked.StageOpening();
        var views = Append(session, locked.Stream, locked.Account, events, actorId);
        locked.Account = CreditRules.Fold(locked.Account, events);
        return views;
    }
}

/// <summary>An organization's account under its ledger lock (see <see cref="CreditLedger.LockAccountAsync"/>).</summary>
public sealed class LockedAccount
{
    private CreditAccountOpened? _opening;

    internal LockedAccount(Guid organizationId, IEventStream<CreditAccount> stream, CreditAccount account, CreditAccountOpened? opening) =>
        (OrganizationId, Stream, Account, _opening) = (organizationId, stream, account, opening);

    public Guid OrganizationId { get; }

    /// <summary>The account as of the lock, and as of each movement staged on it since.</summary>
    public CreditAccount Account { get; internal set; }

    internal IEventStream<CreditAccount> Stream { get; }

    /// <summary>An account that did not exist yet is opened with the first movement, not by taking the lock.</summary>
    internal void StageOpening()
    {
        if (_opening is null) return;
        Stream.AppendOne(_opening);
        _opening = null;
    }
}
