using BaseAgency.Organizations;

namespace BaseAgency.Ledger;

/// <summary>
/// An organization's own ceiling on the credits it spends in a ledger period (OWASP API6: a leaked token cannot drain
/// the account). Counted as what the period used plus what is reserved now, at each reservation, under the ledger lock.
/// </summary>
public sealed record SpendCap(Guid Id, int MonthlyCredits, Guid SetBy, DateTimeOffset SetAt) : IOrganizationOwned
{
    public const int Max = 100_000_000;

    /// <summary>Null when <paramref name="more"/> fits under the cap; otherwise why not.</summary>
    public SpendCapReached? Refusal(CreditAccount account, int more)
    {
        var committed = account.PeriodUsed + account.Reserved;
        return committed + more <= MonthlyCredits ? null : new SpendCapReached(MonthlyCredits, committed, more);
    }
}

public sealed record SpendCapView(int? MonthlyCredits, int UsedOrReserved)
{
    public static SpendCapView Of(SpendCap? cap, CreditAccount? account) =>
        new(cap?.MonthlyCredits, account is null ? 0 : account.PeriodUsed + account.Reserved);
}
