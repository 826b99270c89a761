using BaseAgency.Events;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Webhooks;

/// <summary>Subscription events, on the app whose clock the tests move.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class WebhookSubscriptionEventsTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_free_period_renewing_is_an_event()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var first = await app.Host.SubscriptionAsync(org);
        app.Clock.SetUtcNow(first.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new RenewSubscriptionPeriod(org, first.CurrentPeriodEnd));
        await app.Host.InvokeForAsync(org, new RenewSubscriptionPeriod(org, first.CurrentPeriodEnd));

        var renewed = (await app.Host.EventsAsync(org, EventTypes.SubscriptionRenewed)).Single();
        renewed.Data.GetProperty("plan").GetString().ShouldBe("free");
        renewed.Data.GetProperty("currentPeriodStart").GetDateTimeOffset().ShouldBe(first.CurrentPeriodEnd);
    }

    [Fact]
    public async Task An_unpaid_period_is_past_due_and_paying_it_renews()
    {
        var (org, email) = await BillingScenarios.OnStarterAsync(app);
        var first = await app.Host.SubscriptionAsync(org);
        // Counted from the jump on: the hourly purge may run on the jump and take events kept for less than a month.
        var jumped = first.CurrentPeriodEnd.AddMinutes(1);
        app.Clock.SetUtcNow(jumped);
        await app.Host.InvokeForAsync(org, new RenewSubscriptionPeriod(org, first.CurrentPeriodEnd));

        var pastDue = (await app.Host.EventsAsync(org, EventTypes.SubscriptionPastDue)).Single();
        pastDue.Data.GetProperty("status").GetString().ShouldBe("past_due");
        pastDue.Data.GetProperty("graceEndsAt").GetDateTimeOffset().ShouldBe(app.Clock.GetUtcNow().AddDays(7));
        pastDue.Data.EnumerateObject().Select(p => p.Name).ShouldNotContain("providerCustomerId");
        (await app.Host.EventsAsync(org, EventTypes.SubscriptionRenewed)).Count(e => e.At >= jumped).ShouldBe(0);

        var token = (await app.Host.LoginAsync(email)).AccessToken;
        var open = (await BillingScenarios.InvoicesAsync(app, token)).Single(i => i!["status"]!.GetValue<string>() == "open")!;
        await BillingScenarios.MarkInvoicePaidAsync(app, open["id"]!.GetValue<Guid>());
        (await app.Host.EventsAsync(org, EventTypes.SubscriptionRenewed)).Count(e => e.At >= jumped).ShouldBe(1);
    }
}
