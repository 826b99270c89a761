using BaseAgency.Plans;
using Alba;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Subscriptions;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Tracking;

namespace BaseAgency.Tests.Features.Credits;

using ReleaseStaleReservation = BaseAgency.Ledger.ReleaseStaleReservation;

/// <summary>Runs on its own app with a hand-moved clock.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class RenewalAndTimeoutTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_reservation_nobody_closes_is_released_by_its_timeout()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var reserved = await app.Host.ReserveAsync(org, 30, "forgotten-job");

        // Woken too early (the clock has not moved): nothing changes.
        await Invoke(org, new ReleaseStaleReservation(org, reserved.Reservation!.Id));
        (await app.Host.AccountAsync(org)).Reserved.ShouldBe(30);

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await Invoke(org, new ReleaseStaleReservation(org, reserved.Reservation.Id));
        var account = await app.Host.AccountAsync(org);
        account.Reserved.ShouldBe(0);
        account.Available.ShouldBe(50);
    }

    [Fact]
    public async Task The_period_renews_exactly_once_and_old_plan_credits_expire()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var reserved = await app.Host.ReserveAsync(org, 10, "used-this-month");
        await app.Host.CaptureAsync(org, reserved.Reservation!.Id, 10);
        await app.Host.PurchaseAsync(org, Guid.NewGuid(), 100);
        var before = await SubscriptionOf(org);

        // Early delivery does nothing; then, the period over, the renewal arrives twice (a retry, a second node).
        await Invoke(org, new RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        (await SubscriptionOf(org)).CurrentPeriodEnd.ShouldBe(before.CurrentPeriodEnd);
        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(1));
        await Invoke(org, new RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        await Invoke(org, new RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));

        var after = await SubscriptionOf(org);
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

    private Task Invoke(Guid org, object message) =>
        app.Host.ExecuteAndWaitAsync(c => c.InvokeForTenantAsync(Tenancy.TenantOf(org), message));

    private async Task<Subscription> SubscriptionOf(Guid org)
    {
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        return (await session.LoadAsync<Subscription>(org))!;
    }
}
