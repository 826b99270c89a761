using BaseAgency.Billing;
using BaseAgency.Ledger;

namespace BaseAgency.Features.GetCreditBalance;

public sealed record GetCreditBalance(Guid OrganizationId);

/// <summary>Credits available by kind: plan (expire with the period), paid (never expire), promotional.</summary>
public sealed record BucketTotals(int Plan, int Paid, int Promotional);

public sealed record BucketView(CreditKind Kind, int Remaining, DateTimeOffset? ExpiresAt);

public sealed record CreditBalanceResponse(
    int Available, int Reserved, int Balance, BucketTotals ByBucket, IReadOnlyList<BucketView> Buckets,
    int LifetimePurchased, int LifetimeUsed, int LifetimeBonus,
    DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd, int PeriodUsed, AutoTopUpView? AutoTopUp = null, SpendCapView? SpendCap = null);
