using BaseAgency.Billing;
using BaseAgency.Ledger;

namespace BaseAgency.Features.GetCreditBalance;

public sealed record GetCreditBalance(Guid OrganizationId);

public sealed record BucketTotals(int Plan, int Purchased, int Bonus);

public sealed record BucketView(BucketKind Kind, int Remaining, DateTimeOffset? ExpiresAt);

public sealed record CreditBalanceResponse(
    int Available, int Reserved, int Balance, BucketTotals ByBucket, IReadOnlyList<BucketView> Buckets,
    int LifetimePurchased, int LifetimeUsed, int LifetimeBonus,
    DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd, int PeriodUsed, AutoTopUpView? AutoTopUp = null);
