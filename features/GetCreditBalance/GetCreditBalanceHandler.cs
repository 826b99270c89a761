using BaseAgency.Billing;
using BaseAgency.Http;
using BaseAgency.Ledger;
using Marten;

namespace BaseAgency.Features.GetCreditBalance;

public static class GetCreditBalanceHandler
{
    public static async Task<Outcome<CreditBalanceResponse>> Handle(GetCreditBalance query, IQuerySession session, CreditLedger ledger,
        CancellationToken ct)
    {
        var account = await ledger.ReadAsync(session, query.OrganizationId, ct);
        return BalanceOf(account) with
        {
            AutoTopUp = await session.AutoTopUpViewAsync(query.OrganizationId, ct),
            SpendCap = SpendCapView.Of(await session.LoadAsync<SpendCap>(query.OrganizationId, ct), account),
        };
    }

    /// <summary>
    /// The balance as the organization sees it: buckets in the order they will be spent (earliest expiry first),
    /// empty ones left out; an organization without an account yet holds nothing.
    /// </summary>
    public static CreditBalanceResponse BalanceOf(CreditAccount? account)
    {
        if (account is null) return new CreditBalanceResponse(0, 0, 0, new(0, 0, 0), [], 0, 0, 0, null, null, 0);

        return new CreditBalanceResponse(
            account.Available, account.Reserved, account.Balance,
            new BucketTotals(account.Remaining(CreditKind.Plan), account.Remaining(CreditKind.Paid), account.Remaining(CreditKind.Promotional)),
            account.Buckets.Where(b => b.Remaining > 0)
                .OrderBy(b => b.ExpiresAt ?? DateTimeOffset.MaxValue).ThenBy(b => b.CreatedAt)
                .Select(b => new BucketView(CreditKinds.Of(b.Kind), b.Remaining, b.ExpiresAt)).ToList(),
            account.LifetimePurchased, account.LifetimeUsed, account.LifetimeBonus,
            account.PeriodStart, account.PeriodEnd, account.PeriodUsed);
    }
}
