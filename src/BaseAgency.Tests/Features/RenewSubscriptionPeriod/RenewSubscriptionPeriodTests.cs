using BaseAgency.Ledger;
using BaseAgency.Plans;
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

    [Fact]
    public async Task A_paid_period_gets_its_credits_once_its_invoice_is_paid_and_only_once()
    {
        var (org, email) = await BillingScenarios.OnStarterAsync(app);
        await app.Host.PurchaseAsync(org, Guid.NewGuid(), 100);
        var first = await app.Host.SubscriptionAsync(org);

        app.Clock.SetUtcNow(first.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, first.CurrentPeriodEnd));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, first.CurrentPeriodEnd));

        var unpaid = await app.Host.SubscriptionAsync(org);
        (unpaid.Plan, unpaid.Status, unpaid.CurrentPeriodStart).ShouldBe((PlanSlug.Starter, SubscriptionStatus.PastDue, first.CurrentPeriodEnd));
        unpaid.GraceEndsAt.ShouldBe(app.Clock.GetUtcNow().AddDays(7));
        (await app.Host.AccountAsync(org)).Available.ShouldBe(100); // last period's plan credits expired, this one's not paid yet
        var token = (await app.Host.LoginAsync(email)).AccessToken;
        var open = (await BillingScenarios.InvoicesAsync(app, token)).Where(i => i!["status"]!.GetValue<string>() == "open").ToList();
        open.Count.ShouldBe(1);
        open[0]!["reason"]!.GetValue<string>().ShouldBe("subscription_cycle");

        await BillingScenarios.MarkInvoicePaidAsync(app, open[0]!["id"]!.GetValue<Guid>());
        await BillingScenarios.MarkInvoicePaidAsync(app, open[0]!["id"]!.GetValue<Guid>());

        var paid = await app.Host.SubscriptionAsync(org);
        (paid.Status, paid.GraceEndsAt).ShouldBe((SubscriptionStatus.Active, (DateTimeOffset?)null));
        (await app.Host.AccountAsync(org)).Available.ShouldBe(100 + 500);
        // The grace's end finds the subscription paid and changes nothing.
        app.Clock.SetUtcNow(unpaid.GraceEndsAt!.Value.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.EndGracePeriod(org, unpaid.GraceEndsAt.Value));
        (await app.Host.SubscriptionAsync(org)).Plan.ShouldBe(PlanSlug.Starter);
    }

    [Fact]
    public async Task An_unpaid_period_falls_back_to_free_when_the_grace_ends()
    {
        var (org, email) = await BillingScenarios.OnStarterAsync(app);
        var first = await app.Host.SubscriptionAsync(org);
        app.Clock.SetUtcNow(first.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, first.CurrentPeriodEnd));
        var unpaid = await app.Host.SubscriptionAsync(org);

        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.EndGracePeriod(org, unpaid.GraceEndsAt!.Value)); // early: waits
        (await app.Host.SubscriptionAsync(org)).Status.ShouldBe(SubscriptionStatus.PastDue);
        app.Clock.SetUtcNow(unpaid.GraceEndsAt.Value.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.EndGracePeriod(org, unpaid.GraceEndsAt.Value));
        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.EndGracePeriod(org, unpaid.GraceEndsAt.Value));

        var free = await app.Host.SubscriptionAsync(org);
        (free.Plan, free.Status, free.CurrentPeriodStart).ShouldBe((PlanSlug.Free, SubscriptionStatus.Active, app.Clock.GetUtcNow()));
        (await app.Host.AccountAsync(org)).Available.ShouldBe(50);
        var token = (await app.Host.LoginAsync(email)).AccessToken;
        var closed = (await BillingScenarios.InvoicesAsync(app, token)).Single(i => i!["reason"]!.GetValue<string>() == "subscription_cycle")!;
        closed["status"]!.GetValue<string>().ShouldBe("uncollectible");
        var filtered = (await app.Host.GetAsJson<System.Text.Json.Nodes.JsonObject>("/api/billing/invoices?status=uncollectible", token))["items"]!.AsArray();
        filtered.Select(i => i!["id"]!.GetValue<Guid>()).ShouldBe([closed["id"]!.GetValue<Guid>()]);

        // Paying it now is refused: the subscription moved on without it.
        var platform = await app.Host.OperatorAsync();
        var refused = await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/invoices/{closed["id"]!.GetValue<Guid>()}/mark-paid");
            s.As(platform.Tokens.AccessToken);
            s.StatusCodeShouldBe(409);
        });
        await refused.ProblemAsync(409, "invoice_closed");
    }
}
