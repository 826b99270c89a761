using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.RenewSubscriptionPeriod;

/// <summary>Runs on its own app with a hand-moved clock.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class RenewSubscriptionPeriodTests(ClockedAppFixture app)
{
    [Fact]
    public async Task The_period_renews_exactly_once_and_old_plan_credits_expire()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var reserved = await app.Host.ReserveAsync(org, 10, "used-this-month");
        await app.Host.CaptureAsync(org, reserved.Reservation!.Id, 10);
        await app.Host.PurchaseAsync(org, Guid.NewGuid(), 100);
        var before = await app.Host.SubscriptionAsync(org);

        // Early delivery does nothing; then, the period over, the renewal arrives twice (a retry, a second node).
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        (await app.Host.SubscriptionAsync(org)).CurrentPeriodEnd.ShouldBe(before.CurrentPeriodEnd);
        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));

        var after = await app.Host.SubscriptionAsync(org);
        after.CurrentPeriodStart.ShouldBe(before.CurrentPeriodEnd);
        after.CurrentPeriodEnd.ShouldBe(before.CurrentPeriodEnd.AddMonths(1));

        var account = await app.Host.AccountAsync(org);
        account.Available.ShouldBe(100 + 50); // 40 unused plan credits expired, 50 new ones, purchases kept
        account.PeriodUsed.ShouldBe(0);
        account.PeriodStart.ShouldBe(after.CurrentPeriodStart);

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        var lines = await session.Query<CreditTransaction>().ToListAsync();
        lines.Count(l => l.Type == CreditTransactionType.Subscription).ShouldBe(2);
        lines.Where(l => l.Type == CreditTransactionType.Expiry).Sum(l => l.Amount).ShouldBe(-40);
    }
}
