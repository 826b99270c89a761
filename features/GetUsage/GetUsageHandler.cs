using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Usage;
using Marten;

namespace BaseAgency.Features.GetUsage;

public static class GetUsageHandler
{
    public static async Task<Outcome<UsageSummary>> Handle(GetUsage query, IQuerySession session, CreditLedger ledger, UsageReports reports,
        TimeProvider clock, CancellationToken ct)
    {
        var entitlements = await Entitlements.ForAsync(session, query.OrganizationId, ct);
        var members = await session.Query<User>().CountAsync(ct);
        var account = await ledger.ReadAsync(session, query.OrganizationId, ct);
        var subscription = entitlements.Subscription;
        var figures = await reports.PeriodAsync(query.OrganizationId, DateOnly.FromDateTime(subscription.CurrentPeriodStart.UtcDateTime),
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        return Summary(entitlements, members, account, figures);
    }

    /// <summary>The summary from what was read: a plan's −1 (unlimited) becomes no limit; storage is measured in bytes.</summary>
    public static UsageSummary Summary(Entitlements entitlements, int members, CreditAccount? account, PeriodFigures figures)
    {
        var limits = entitlements.Plan.Limits;
        UsageMeter Quota(PlanQuota quota) => new(entitlements.Usage.Of(quota), LimitOf(entitlements.LimitOf(quota)));
        return new UsageSummary(entitlements.Plan.Id, entitlements.Subscription.CurrentPeriodStart, entitlements.Subscription.CurrentPeriodEnd,
            Quota(PlanQuota.Images), Quota(PlanQuota.Videos), Quota(PlanQuota.AudioMinutes),
            new UsageMeter(figures.TextTokens, null),
            new UsageMeter(figures.ApiRequestsToday, LimitOf(limits.ApiRequestsPerDay)),
            new UsageMeter(members, LimitOf(limits.MaxTeamMembers)),
            new UsageMeter(figures.StorageBytes, StorageRoom.CapOf(limits)),
            new UsageCredits(account?.Available ?? 0, account?.Reserved ?? 0, account?.Remaining(CreditKind.Plan) ?? 0,
                account?.Remaining(CreditKind.Paid) ?? 0, account?.Remaining(CreditKind.Promotional) ?? 0));
    }

    private static long? LimitOf(int limit) => limit == PlanLimits.Unlimited ? null : limit;
}
