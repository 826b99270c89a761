using BaseAgency.Ledger;
using CsCheck;

namespace BaseAgency.Tests.Ledger;

/// <summary>The ledger's rules as functions: spending order, capture and release, and invariants under any sequence.</summary>
public sealed class CreditRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Org = Guid.NewGuid();

    private static CreditAccount Empty() => CreditAccount.Create(new CreditAccountOpened(Org, Now));

    private static CreditAccount Apply(CreditAccount account, Decision decision)
    {
        decision.Rejection.ShouldBeNull();
        return CreditRules.Fold(account, decision.Events);
    }

    [Fact]
    public void Spending_takes_the_bucket_that_expires_first()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Purchase(account, Guid.NewGuid(), "pack", 100, Now));                               // never expires
        account = Apply(account, CreditRules.Grant(account, BucketKind.Plan, 50, Now.AddDays(30), "plan", "p1", Now));           // 30 days
        account = Apply(account, CreditRules.Grant(account, BucketKind.Bonus, 10, Now.AddDays(5), "promo", "b1", Now));          // 5 days

        var decision = CreditRules.Reserve(account, Guid.NewGuid(), "job-1", 55, Now, Now.AddMinutes(30));
        var draws = decision.Events.OfType<CreditsReserved>().Single().Draws;

        var kinds = draws.Select(d => account.Buckets.Single(b => b.Id == d.BucketId).Kind).ToList();
        kinds.ShouldBe([BucketKind.Bonus, BucketKind.Plan]);
        draws.Select(d => d.Amount).ShouldBe([10, 45]);
    }

    [Fact]
    public void Capture_spends_from_the_earliest_bucket_and_returns_the_rest()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Purchase(account, Guid.NewGuid(), "pack", 100, Now));
        account = Apply(account, CreditRules.Grant(account, BucketKind.Plan, 10, Now.AddDays(30), "plan", "p1", Now));
        var id = Guid.NewGuid();
        account = Apply(account, CreditRules.Reserve(account, id, "job", 20, Now, Now.AddMinutes(30)));
        account.Available.ShouldBe(90);
        account.Reserved.ShouldBe(20);

        account = Apply(account, CreditRules.Capture(account, id, 12, CreditReason.Completed, Now));

        account.Reserved.ShouldBe(0);
        account.Balance.ShouldBe(98);
        account.LifetimeUsed.ShouldBe(12);
        account.Buckets.Where(b => b.Kind == BucketKind.Plan).Sum(b => b.Remaining).ShouldBe(0);
        account.Buckets.Single(b => b.Kind == BucketKind.Purchased).Remaining.ShouldBe(98);
    }

    [Fact]
    public void Reserving_more_than_is_available_is_refused_with_the_numbers()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Grant(account, BucketKind.Bonus, 5, null, "gift", "g", Now));
        var decision = CreditRules.Reserve(account, Guid.NewGuid(), "job", 6, Now, Now.AddMinutes(1));
        decision.Rejection.ShouldBe(new InsufficientCredits(6, 5));
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void Credits_past_their_expiry_are_expired_before_anything_moves()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Grant(account, BucketKind.Bonus, 10, Now.AddDays(1), "promo", "b", Now));
        var later = Now.AddDays(2);

        var decision = CreditRules.Reserve(account, Guid.NewGuid(), "job", 1, later, later.AddMinutes(1));
        decision.Rejection.ShouldBe(new InsufficientCredits(1, 0));
        CreditRules.AsOf(account, later).Available.ShouldBe(0);
    }

    [Fact]
    public void Renewal_expires_the_old_plan_credits_and_grants_the_new()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Renew(account, Now, Now.AddMonths(1), "free", 50, Now));
        account = Apply(account, CreditRules.Purchase(account, Guid.NewGuid(), "pack", 100, Now));
        var end = Now.AddMonths(1);
        var decision = CreditRules.Renew(account, end, end.AddMonths(1), "free", 50, end);
        account = Apply(account, decision);

        decision.Events.OfType<CreditsExpired>().Sum(e => e.Amount).ShouldBe(50);
        account.Available.ShouldBe(150);
        account.PeriodStart.ShouldBe(end);
    }

    [Fact]
    public void A_negative_adjustment_cannot_take_more_than_is_available()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Grant(account, BucketKind.Bonus, 5, null, "gift", "g", Now));
        CreditRules.Adjust(account, -6, BucketKind.Bonus, "correction", Guid.NewGuid(), Now).Rejection.ShouldBe(new InsufficientCredits(6, 5));
        Apply(account, CreditRules.Adjust(account, -5, BucketKind.Bonus, "correction", Guid.NewGuid(), Now)).Available.ShouldBe(0);
    }

    [Fact]
    public void A_positive_adjustment_lands_in_the_bucket_it_names_and_never_in_plan()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Adjust(account, 7, BucketKind.Purchased, "paid credits given back", Guid.NewGuid(), Now));
        account = Apply(account, CreditRules.Adjust(account, 3, BucketKind.Bonus, "goodwill", Guid.NewGuid(), Now));

        account.Buckets.Select(b => (b.Kind, b.Remaining, b.ExpiresAt)).ShouldBe([(BucketKind.Purchased, 7, null), (BucketKind.Bonus, 3, null)]);
        CreditRules.Adjust(account, 5, BucketKind.Plan, "plan", Guid.NewGuid(), Now).Rejection.ShouldBeOfType<InvalidLedgerAmount>();
    }

    // ---- Refunds go back where the credits came from ----

    /// <summary>A capture of 30 drawn from 20 plan credits (expiring first) and 10 paid ones, as its reservation view records it.</summary>
    private static (CreditAccount Account, CreditReservation Captured, DateTimeOffset PlanEnd) CapturedFromPlanAndPaid()
    {
        var planEnd = Now.AddDays(10);
        var account = Empty();
        account = Apply(account, CreditRules.Purchase(account, Guid.NewGuid(), "pack", 50, Now));
        account = Apply(account, CreditRules.Grant(account, BucketKind.Plan, 20, planEnd, "plan", "p1", Now));
        var id = Guid.NewGuid();
        account = Apply(account, CreditRules.Reserve(account, id, "job:1", 30, Now, Now.AddMinutes(30)));
        var capture = CreditRules.Capture(account, id, 30, CreditReason.Completed, Now);
        var captured = LedgerViews.For(account, capture.Events).OfType<CreditReservation>().Single();
        return (Apply(account, capture), captured, planEnd);
    }

    [Fact]
    public void A_capture_records_the_kind_and_expiry_of_each_bucket_it_spent()
    {
        var (_, captured, planEnd) = CapturedFromPlanAndPaid();
        captured.Used!.Select(u => (u.Kind, u.Amount, u.ExpiresAt)).ShouldBe([(BucketKind.Plan, 20, planEnd), (BucketKind.Purchased, 10, null)]);
    }

    [Fact]
    public void A_refund_of_a_capture_from_paid_and_plan_credits_returns_paid_to_paid_and_plan_to_plan_with_its_expiry()
    {
        var (account, captured, planEnd) = CapturedFromPlanAndPaid();
        account.Buckets.Where(b => b.Kind == BucketKind.Plan).ShouldBeEmpty(); // emptied by the capture, and dropped

        var refund = CreditRules.Refund(account, captured, CreditReason.InternalError, Now.AddMinutes(1));
        account = Apply(account, refund);

        account.Buckets.Single(b => b.Kind == BucketKind.Plan).ShouldSatisfyAllConditions(
            b => b.Remaining.ShouldBe(20), b => b.ExpiresAt.ShouldBe(planEnd));
        account.Buckets.Single(b => b.Kind == BucketKind.Purchased).Remaining.ShouldBe(50);
        account.Buckets.ShouldNotContain(b => b.Kind == BucketKind.Bonus);
        account.LifetimeUsed.ShouldBe(0);

        var line = LedgerViews.For(account, refund.Events).OfType<CreditTransaction>().Single();
        line.Type.ShouldBe(CreditTransactionType.Refund);
        line.ReasonCode.ShouldBe(CreditReason.InternalError);
        line.Buckets.ShouldBe([new KindAmount(CreditKind.Plan, 20), new KindAmount(CreditKind.Paid, 10)]);
    }

    [Fact]
    public void Plan_credits_refunded_after_their_period_ended_come_back_promotional_and_never_expire()
    {
        var (account, captured, planEnd) = CapturedFromPlanAndPaid();
        var later = planEnd.AddDays(1);

        account = Apply(account, CreditRules.Refund(account, captured, CreditReason.InternalError, later));

        account.Buckets.Select(b => (b.Kind, b.Remaining, b.ExpiresAt)).ShouldBe([(BucketKind.Purchased, 50, null), (BucketKind.Bonus, 20, null)],
            ignoreOrder: true);
        CreditRules.AsOf(account, later.AddYears(5)).Available.ShouldBe(70);
    }

    [Fact]
    public void Only_a_capture_is_refunded()
    {
        var (account, captured, _) = CapturedFromPlanAndPaid();
        CreditRules.Refund(account, captured with { Status = ReservationStatus.Released }, CreditReason.InternalError, Now)
            .Rejection.ShouldBeOfType<InvalidLedgerAmount>();
        CreditRules.Refund(account, captured with { CapturedAmount = 0 }, CreditReason.InternalError, Now)
            .Rejection.ShouldBeOfType<InvalidLedgerAmount>();
    }

    [Fact]
    public void A_job_shows_as_a_hold_then_a_reversing_line_with_its_reason_code()
    {
        var account = Empty();
        account = Apply(account, CreditRules.Purchase(account, Guid.NewGuid(), "pack", 50, Now));
        var id = Guid.NewGuid();
        var hold = CreditRules.Reserve(account, id, "job:1", 10, Now, Now.AddMinutes(30));
        var holdLine = LedgerViews.For(account, hold.Events).OfType<CreditTransaction>().Single();
        account = Apply(account, hold);
        var release = CreditRules.Release(account, id, CreditReason.ProviderError, Now);
        var releaseLine = LedgerViews.For(account, release.Events).OfType<CreditTransaction>().Single();

        (holdLine.Type, holdLine.Amount, holdLine.Held, holdLine.AvailableAfter).ShouldBe((CreditTransactionType.Hold, 0, 10, 40));
        holdLine.Buckets.ShouldBe([new KindAmount(CreditKind.Paid, -10)]);
        (releaseLine.Type, releaseLine.Amount, releaseLine.Held, releaseLine.AvailableAfter).ShouldBe((CreditTransactionType.Release, 0, -10, 50));
        releaseLine.ReasonCode.ShouldBe(CreditReason.ProviderError);
        releaseLine.Buckets.ShouldBe([new KindAmount(CreditKind.Paid, 10)]);
    }

    // ---- Any sequence of operations keeps the books straight ----

    private abstract record Op;
    private sealed record GrantOp(int Amount, BucketKind Kind, int ExpiresInDays) : Op;
    private sealed record PurchaseOp(int Amount) : Op;
    private sealed record ReserveOp(int Amount) : Op;
    private sealed record CaptureOp(int Pick, int Percent) : Op;
    private sealed record ReleaseOp(int Pick) : Op;
    private sealed record AdjustOp(int Amount, bool Paid) : Op;
    private sealed record RefundOp(int Pick) : Op;
    private sealed record RenewOp : Op;
    private sealed record WaitOp(int Days) : Op;

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (3, Gen.Select(Gen.Int[1, 100], Gen.Int[0, 2], Gen.Int[0, 20], (a, k, d) => (Op)new GrantOp(a, (BucketKind)k, d))),
        (2, Gen.Int[1, 200].Select(a => (Op)new PurchaseOp(a))),
        (5, Gen.Int[1, 80].Select(a => (Op)new ReserveOp(a))),
        (3, Gen.Select(Gen.Int[0, 10], Gen.Int[0, 100], (p, f) => (Op)new CaptureOp(p, f))),
        (2, Gen.Int[0, 10].Select(p => (Op)new ReleaseOp(p))),
        (1, Gen.Select(Gen.Int[-60, 60], Gen.Bool, (a, p) => (Op)new AdjustOp(a, p))),
        (2, Gen.Int[0, 10].Select(p => (Op)new RefundOp(p))),
        (1, Gen.Const((Op)new RenewOp())),
        (1, Gen.Int[0, 10].Select(d => (Op)new WaitOp(d))));

    /// <summary>
    /// Any mix of grants, purchases, holds, captures, releases, adjustments, refunds (each capture at most once, as the
    /// ledger's operation key makes it), renewals and time passing: no bucket goes negative, the statement adds up to the
    /// balance and its held column to what is reserved, and the statement's per-kind movements add up to what each
    /// kind holds, so a refund never turns paid or plan credits into promotional ones unless their bucket expired.
    /// </summary>
    [Fact]
    public void Any_sequence_keeps_balance_equal_to_the_statement_and_never_negative()
    {
        Ops.Array[1, 80].Sample(ops =>
        {
            var now = Now;
            var periodEnd = now.AddMonths(1);
            var account = Empty();
            var events = new List<object>();
            var (statement, held) = (0, 0);
            var byKind = new Dictionary<CreditKind, int>();
            var captures = new List<CreditReservation>();
            var n = 0;

            foreach (var op in ops)
            {
                var open = account.Reservations.Keys.Order().ToList();
                var decision = op switch
                {
                    GrantOp g => CreditRules.Grant(account, g.Kind, g.Amount, g.ExpiresInDays == 0 ? null : now.AddDays(g.ExpiresInDays), "grant", $"g{n++}", now),
                    PurchaseOp p => CreditRules.Purchase(account, Guid.NewGuid(), "pack", p.Amount, now),
                    ReserveOp r => CreditRules.Reserve(account, Guid.NewGuid(), $"r{n++}", r.Amount, now, now.AddMinutes(30)),
                    CaptureOp c when open.Count > 0 => CreditRules.Capture(account, open[c.Pick % open.Count],
                        account.Reservations[open[c.Pick % open.Count]].Amount * c.Percent / 100, CreditReason.Completed, now),
                    ReleaseOp r when open.Count > 0 => CreditRules.Release(account, open[r.Pick % open.Count], CreditReason.ProviderError, now),
                    AdjustOp a => CreditRules.Adjust(account, a.Amount, a.Paid ? BucketKind.Purchased : BucketKind.Bonus, "ops", Guid.Empty, now),
                    RefundOp f when captures.Count > 0 => CreditRules.Refund(account, Take(captures, f.Pick), CreditReason.InternalError, now),
                    RenewOp => CreditRules.Renew(account, periodEnd, periodEnd.AddMonths(1), "free", 50, now),
                    _ => new Decision([]),
                };
                if (op is RenewOp && decision.Rejection is null) periodEnd = periodEnd.AddMonths(1);
                if (op is WaitOp w) now = now.AddDays(w.Days);

                var before = account;
                if (decision.Rejection is not null)
                {
                    decision.Events.ShouldBeEmpty();
                    continue;
                }
                var views = LedgerViews.For(before, decision.Events).ToList();
                foreach (var line in views.OfType<CreditTransaction>())
                {
                    (statement, held) = (statement + line.Amount, held + line.Held);
                    // A hold and a release move credits between available and held; every other line moves the balance.
                    var holdOrRelease = line.OperationKey.StartsWith("hold:") || line.OperationKey.StartsWith("release:");
                    line.Buckets!.Sum(b => b.Amount).ShouldBe(holdOrRelease ? -line.Held : line.Amount);
                    if (holdOrRelease) continue;
                    foreach (var b in line.Buckets!) byKind[b.Kind] = byKind.GetValueOrDefault(b.Kind) + b.Amount;
                }
                captures.AddRange(views.OfType<CreditReservation>().Where(r => r is { Status: ReservationStatus.Captured, CapturedAmount: > 0 }));
                account = CreditRules.Fold(account, decision.Events);
                events.AddRange(decision.Events);

                account.Buckets.ShouldAllBe(b => b.Remaining >= 0);
                account.Reservations.Values.ShouldAllBe(r => r.Amount > 0);
                account.Available.ShouldBeGreaterThanOrEqualTo(0);
                account.Balance.ShouldBe(statement);
                account.Reserved.ShouldBe(held);
                account.Available.ShouldBe(account.Balance - account.Reserved);
                foreach (var kind in Enum.GetValues<CreditKind>())
                    Holding(account, kind).ShouldBe(byKind.GetValueOrDefault(kind), $"{kind} credits");
            }

            var replayed = CreditRules.Fold(Empty(), events);
            LedgerCheck.Differences(account, replayed, statement, held).ShouldBeEmpty();
        }, iter: 400);
    }

    private static CreditReservation Take(List<CreditReservation> captures, int pick)
    {
        var captured = captures[pick % captures.Count];
        captures.Remove(captured);
        return captured;
    }

    /// <summary>Credits of a kind the account holds: what its buckets have left plus what open reservations took from them.</summary>
    private static int Holding(CreditAccount account, CreditKind kind) =>
        account.Buckets.Where(b => CreditKinds.Of(b.Kind) == kind).Sum(b => b.Remaining)
        + account.Reservations.Values.SelectMany(r => r.Draws)
            .Where(d => CreditKinds.Of(account.Buckets.Single(b => b.Id == d.BucketId).Kind) == kind).Sum(d => d.Amount);
}
