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

        account = Apply(account, CreditRules.Capture(account, id, 12, Now));

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
        CreditRules.Adjust(account, -6, "correction", Guid.NewGuid(), Now).Rejection.ShouldBe(new InsufficientCredits(6, 5));
        Apply(account, CreditRules.Adjust(account, -5, "correction", Guid.NewGuid(), Now)).Available.ShouldBe(0);
    }

    // ---- Any sequence of operations keeps the books straight ----

    private abstract record Op;
    private sealed record GrantOp(int Amount, BucketKind Kind, int ExpiresInDays) : Op;
    private sealed record PurchaseOp(int Amount) : Op;
    private sealed record ReserveOp(int Amount) : Op;
    private sealed record CaptureOp(int Pick, int Percent) : Op;
    private sealed record ReleaseOp(int Pick) : Op;
    private sealed record AdjustOp(int Amount) : Op;
    private sealed record RefundOp(int Amount) : Op;
    private sealed record RenewOp : Op;
    private sealed record WaitOp(int Days) : Op;

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (3, Gen.Select(Gen.Int[1, 100], Gen.Int[0, 2], Gen.Int[0, 20], (a, k, d) => (Op)new GrantOp(a, (BucketKind)k, d))),
        (2, Gen.Int[1, 200].Select(a => (Op)new PurchaseOp(a))),
        (5, Gen.Int[1, 80].Select(a => (Op)new ReserveOp(a))),
        (3, Gen.Select(Gen.Int[0, 10], Gen.Int[0, 100], (p, f) => (Op)new CaptureOp(p, f))),
        (2, Gen.Int[0, 10].Select(p => (Op)new ReleaseOp(p))),
        (1, Gen.Int[-60, 60].Select(a => (Op)new AdjustOp(a))),
        (1, Gen.Int[1, 30].Select(a => (Op)new RefundOp(a))),
        (1, Gen.Const((Op)new RenewOp())),
        (1, Gen.Int[0, 10].Select(d => (Op)new WaitOp(d))));

    [Fact]
    public void Any_sequence_keeps_balance_equal_to_the_statement_and_never_negative()
    {
        Ops.Array[1, 80].Sample(ops =>
        {
            var now = Now;
            var periodEnd = now.AddMonths(1);
            var account = Empty();
            var events = new List<object>();
            var statement = 0;
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
                        account.Reservations[open[c.Pick % open.Count]].Amount * c.Percent / 100, now),
                    ReleaseOp r when open.Count > 0 => CreditRules.Release(account, open[r.Pick % open.Count], "cancel", now),
                    AdjustOp a => CreditRules.Adjust(account, a.Amount, "ops", Guid.Empty, now),
                    RefundOp f => CreditRules.Refund(account, f.Amount, $"f{n++}", "refund", now),
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
                statement += LedgerViews.For(before, decision.Events).OfType<CreditTransaction>().Sum(t => t.Amount);
                account = CreditRules.Fold(account, decision.Events);
                events.AddRange(decision.Events);

                account.Buckets.ShouldAllBe(b => b.Remaining >= 0);
                account.Reservations.Values.ShouldAllBe(r => r.Amount > 0);
                account.Available.ShouldBeGreaterThanOrEqualTo(0);
                account.Balance.ShouldBe(statement);
                account.Available.ShouldBe(account.Balance - account.Reserved);
            }

            var replayed = CreditRules.Fold(Empty(), events);
            LedgerCheck.Differences(account, replayed, statement).ShouldBeEmpty();
        }, iter: 400);
    }
}
