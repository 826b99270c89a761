using BaseAgency.Ledger;

namespace BaseAgency.Tests.Ledger;

/// <summary>What the ledger verification reports when the stored view, the replay and the statement disagree.</summary>
public sealed class LedgerCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static CreditAccount Funded(int amount)
    {
        var account = CreditAccount.Create(new CreditAccountOpened(Guid.NewGuid(), Now));
        return CreditRules.Fold(account, CreditRules.Purchase(account, Guid.NewGuid(), "pack", amount, Now).Events);
    }

    [Fact]
    public void An_organization_without_a_ledger_is_consistent() =>
        LedgerCheck.Differences(null, null, 0, 0).ShouldBeEmpty();

    [Fact]
    public void A_stored_view_without_events_is_reported()
    {
        var account = Funded(10);
        LedgerCheck.Differences(account, null, 10, 0).ShouldBe(["stored view present, replay empty"]);
        LedgerCheck.Differences(null, account, 10, 0).ShouldBe(["stored view missing, replay present"]);
    }

    [Fact]
    public void A_view_that_matches_its_replay_and_statement_has_no_differences()
    {
        var account = Funded(30);
        LedgerCheck.Differences(account, account, 30, 0).ShouldBeEmpty();
    }

    [Fact]
    public void Each_figure_that_drifted_is_named_with_both_values()
    {
        var stored = Funded(30);
        var replayed = stored with { LifetimeUsed = 4 };

        LedgerCheck.Differences(stored, replayed, 25, 0).ShouldBe(["lifetimeUsed: stored 0, replayed 4", "statement total: stored 25, replayed 30"],
            ignoreOrder: true);
    }
}
