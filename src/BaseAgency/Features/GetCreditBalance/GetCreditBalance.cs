using BaseAgency.Ledger;
using FastEndpoints;
using BaseAgency.Identity;
using Marten;

namespace BaseAgency.Features.GetCreditBalance;

public sealed record BucketTotals(int Plan, int Purchased, int Bonus);

public sealed record BucketView(BucketKind Kind, int Remaining, DateTimeOffset? ExpiresAt);

public sealed record CreditBalanceResponse(
    int Available, int Reserved, int Balance, BucketTotals ByBucket, IReadOnlyList<BucketView> Buckets,
    int LifetimePurchased, int LifetimeUsed, int LifetimeBonus,
    DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd, int PeriodUsed);

/// <summary>GET /api/credits/balance: what the organization holds, by bucket, in the order it will be spent.</summary>
public sealed class GetCreditBalanceEndpoint(IQuerySession session, CreditLedger ledger) : EndpointWithoutRequest<CreditBalanceResponse>
{
    public override void Configure()
    {
        Get("/credits/balance");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetCreditBalance").WithSummary("The organization's credit balance").WithTags("Credits"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var account = await ledger.ReadAsync(session, User.Required().OrganizationId, ct);
        if (account is null)
        {
            await Send.OkAsync(new CreditBalanceResponse(0, 0, 0, new(0, 0, 0), [], 0, 0, 0, null, null, 0), ct);
            return;
        }

        int Sum(BucketKind kind) => account.Buckets.Where(b => b.Kind == kind).Sum(b => b.Remaining);
        await Send.OkAsync(new CreditBalanceResponse(
            account.Available, account.Reserved, account.Balance,
            new BucketTotals(Sum(BucketKind.Plan), Sum(BucketKind.Purchased), Sum(BucketKind.Bonus)),
            account.Buckets.Where(b => b.Remaining > 0)
                .OrderBy(b => b.ExpiresAt ?? DateTimeOffset.MaxValue).ThenBy(b => b.CreatedAt)
                .Select(b => new BucketView(b.Kind, b.Remaining, b.ExpiresAt)).ToList(),
            account.LifetimePurchased, account.LifetimeUsed, account.LifetimeBonus,
            account.PeriodStart, account.PeriodEnd, account.PeriodUsed), ct);
    }
}
