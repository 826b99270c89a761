using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Features.TopUpCredits;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.TopUpCredits;

/// <summary>Auto top-up with the manual payment provider (the default): the pack is billed, an operator marks it paid.</summary>
[Collection(AppCollection.Name)]
public sealed class TopUpCreditsTests(AppFixture app)
{
    [Fact]
    public async Task A_capture_below_the_threshold_bills_the_pack_once_and_paying_it_grants_the_credits_once()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        await app.Host.SetAutoTopUpAsync(token, 50, "credits-100");

        JsonObject job = null!;
        var tracked = await app.Host.TrackedAsync(async () =>
            job = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt = "a small lighthouse" })).IdOf()));
        job["status"]!.GetValue<string>().ShouldBe("completed");
        tracked.Executed.MessagesOf<ChargeTopUp>().Count().ShouldBe(1);
        var left = 50 - job["creditsUsed"]!.GetValue<int>();

        var purchase = (await app.Host.PurchasesAsync(customer.Organization.Id)).ShouldHaveSingleItem();
        purchase.Status.ShouldBe(PurchaseStatus.Pending);
        purchase.Provider.ShouldBe("manual");
        purchase.Credits.ShouldBe(100);
        purchase.AmountCents.ShouldBe(1000);
        purchase.CreatedBy.ShouldBe(customer.User.Id); // on the admin's standing instruction
        var attempt = (await app.Host.GetAsJson<JsonObject>("/api/credits/auto-top-up", token))["lastAttempt"]!;
        attempt["result"]!.GetValue<string>().ShouldBe("pending");
        attempt["purchaseId"]!.GetValue<Guid>().ShouldBe(purchase.Id);
        (await app.Host.AvailableAsync(token)).ShouldBe(left); // nothing until paid

        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        for (var i = 0; i < 2; i++)
            await app.Host.Scenario(s =>
            {
                s.Post.Url($"/api/admin/purchases/{purchase.Id}/mark-paid");
                s.As(operatorToken);
                s.StatusCodeShouldBe(200);
            });

        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        balance["available"]!.GetValue<int>().ShouldBe(left + 100);
        balance["autoTopUp"]!["lastAttempt"]!["result"]!.GetValue<string>().ShouldBe("succeeded");
        (await app.Host.AuditedAsync(customer.Organization.Id)).ShouldContain("credits.auto_top_up_invoiced");
    }

    [Fact]
    public async Task Twenty_concurrent_low_credit_checks_buy_exactly_once()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetAutoTopUpAsync(customer.Tokens.AccessToken, 1000, "credits-500");

        await app.Host.TopUpIfLowAsync(customer.Organization.Id, times: 20);

        (await app.Host.PurchasesAsync(customer.Organization.Id)).ShouldHaveSingleItem().Item.ShouldBe("credits-500");
        (await app.Host.AuditedAsync(customer.Organization.Id)).Count(a => a.StartsWith("credits.auto_top_up")).ShouldBe(1);
    }

    [Fact]
    public async Task Twenty_jobs_captured_at_once_buy_exactly_once()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Business); // room for 20 jobs at once
        await app.Host.SetAutoTopUpAsync(token, 45, "credits-100");

        // Tracked until every job, every check its capture sent and the charge are done.
        var tracked = await app.Host.TrackedAsync(async () =>
        {
            var jobs = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.Host.SubmitJobAsync(token, "image", new { prompt = $"tiny {i}" })));
            await Task.WhenAll(jobs.Select(j => app.Host.WaitForJobAsync(token, j.IdOf(), timeoutSeconds: 60)));
        });

        tracked.Executed.Envelopes().Where(e => e.Message is TopUpIfLow).Select(e => e.Id).Distinct().Count().ShouldBe(20); // one per capture
        (await app.Host.PurchasesAsync(customer.Organization.Id)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Nothing_is_bought_when_auto_top_up_is_off_or_credits_are_not_below_the_threshold()
    {
        var off = await app.Host.SignUpAsync();
        await app.Host.SetAutoTopUpAsync(off.Tokens.AccessToken, 1000, "credits-100", enabled: false);
        var enough = await app.Host.SignUpAsync();
        await app.Host.SetAutoTopUpAsync(enough.Tokens.AccessToken, 50, "credits-100"); // 50 is not below 50

        await app.Host.TopUpIfLowAsync(off.Organization.Id);
        await app.Host.TopUpIfLowAsync(enough.Organization.Id);

        (await app.Host.PurchasesAsync(off.Organization.Id)).ShouldBeEmpty();
        (await app.Host.PurchasesAsync(enough.Organization.Id)).ShouldBeEmpty();
    }
}

/// <summary>At most one top-up per interval (Billing:AutoTopUpMinInterval, one hour by default), on a clock the test moves.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class TopUpIntervalTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_second_low_moment_within_the_interval_buys_nothing_and_one_after_it_buys_again()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetAutoTopUpAsync(customer.Tokens.AccessToken, 1000, "credits-100");

        await app.Host.TopUpIfLowAsync(customer.Organization.Id);
        // Turning it off and on again does not start a new interval.
        await app.Host.SetAutoTopUpAsync(customer.Tokens.AccessToken, 1000, "credits-100", enabled: false);
        await app.Host.SetAutoTopUpAsync(customer.Tokens.AccessToken, 1000, "credits-100");
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await app.Host.TopUpIfLowAsync(customer.Organization.Id);
        (await app.Host.PurchasesAsync(customer.Organization.Id)).Count.ShouldBe(1);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.Host.TopUpIfLowAsync(customer.Organization.Id);
        (await app.Host.PurchasesAsync(customer.Organization.Id)).Count.ShouldBe(2);
    }
}
