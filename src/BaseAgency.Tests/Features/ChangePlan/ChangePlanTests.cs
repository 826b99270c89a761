using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ChangePlan;

/// <summary>Plan changes with manual billing (invoices an operator marks paid), on the app whose clock the tests move.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class ChangePlanTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_first_paid_plan_starts_a_new_period_once_its_invoice_is_paid_and_only_once()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;

        var answer = await ChangeAsync(token, "starter", 202);
        answer["status"]!.GetValue<string>().ShouldBe("payment_required");
        answer["plan"]!.GetValue<string>().ShouldBe("free"); // not before it is paid
        answer["amountCents"]!.GetValue<long>().ShouldBe(4900);
        answer["extraCredits"]!.GetValue<int>().ShouldBe(500);
        var invoice = answer["invoice"]!;
        invoice["status"]!.GetValue<string>().ShouldBe("open");
        invoice["reason"]!.GetValue<string>().ShouldBe("subscription_create");
        (await app.Host.SubscriptionAsync(org)).Plan.ShouldBe(PlanSlug.Free);
        (await app.Host.AccountAsync(org)).Available.ShouldBe(50);

        var paidAt = app.Clock.GetUtcNow().AddMinutes(5);
        app.Clock.SetUtcNow(paidAt);
        var paid = await BillingScenarios.MarkInvoicePaidAsync(app, invoice["id"]!.GetValue<Guid>());
        paid["status"]!.GetValue<string>().ShouldBe("paid");
        await BillingScenarios.MarkInvoicePaidAsync(app, invoice["id"]!.GetValue<Guid>()); // a repeat changes nothing

        var subscription = await app.Host.SubscriptionAsync(org);
        subscription.Plan.ShouldBe(PlanSlug.Starter);
        subscription.Status.ShouldBe(SubscriptionStatus.Active);
        subscription.CurrentPeriodStart.ShouldBe(paidAt); // the period bought starts when paid
        subscription.CurrentPeriodEnd.ShouldBe(paidAt.AddMonths(1));
        subscription.PendingChange.ShouldBeNull();
        var account = await app.Host.AccountAsync(org);
        account.Available.ShouldBe(500); // the Free credits ended with the Free period
        account.Buckets.ShouldAllBe(b => b.ExpiresAt == paidAt.AddMonths(1));
    }

    [Fact]
    public async Task An_upgrade_halfway_through_a_paid_period_costs_and_adds_half_the_difference_once_paid()
    {
        var (org, email) = await BillingScenarios.OnStarterAsync(app);
        var before = await app.Host.SubscriptionAsync(org);
        app.Clock.SetUtcNow(before.CurrentPeriodStart + (before.CurrentPeriodEnd - before.CurrentPeriodStart) / 2);
        var token = (await app.Host.LoginAsync(email)).AccessToken;

        var answer = await ChangeAsync(token, "professional", 202);
        answer["amountCents"]!.GetValue<long>().ShouldBe(2500); // ($99 − $49) × ½
        answer["extraCredits"]!.GetValue<int>().ShouldBe(750); // (2000 − 500) × ½
        answer["invoice"]!["reason"]!.GetValue<string>().ShouldBe("subscription_update");
        (await app.Host.SubscriptionAsync(org)).Plan.ShouldBe(PlanSlug.Starter);

        await BillingScenarios.MarkInvoicePaidAsync(app, answer["invoice"]!["id"]!.GetValue<Guid>());

        var after = await app.Host.SubscriptionAsync(org);
        after.Plan.ShouldBe(PlanSlug.Professional);
        (after.CurrentPeriodStart, after.CurrentPeriodEnd).ShouldBe((before.CurrentPeriodStart, before.CurrentPeriodEnd)); // same period
        (await app.Host.AccountAsync(org)).Available.ShouldBe(500 + 750);
    }

    [Fact]
    public async Task An_upgrade_too_small_to_charge_gives_nothing_away_and_waits_for_the_next_period()
    {
        var (org, email) = await BillingScenarios.OnStarterAsync(app);
        var before = await app.Host.SubscriptionAsync(org);
        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(-30)); // ($249 − $49) × 30 min of a month ≈ 13 cents
        var token = (await app.Host.LoginAsync(email)).AccessToken;

        var answer = await ChangeAsync(token, "business", 200);
        answer["status"]!.GetValue<string>().ShouldBe("scheduled");
        answer["pendingPlan"]!.GetValue<string>().ShouldBe("business");
        answer["effectiveAt"]!.GetValue<DateTimeOffset>().ShouldBe(before.CurrentPeriodEnd);
        (await app.Host.SubscriptionAsync(org)).Plan.ShouldBe(PlanSlug.Starter);
        (await app.Host.AccountAsync(org)).Available.ShouldBe(500);

        // The next period is Business only once its $249 invoice is paid; until then it stays Starter, past due, without credits.
        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        var unpaid = await app.Host.SubscriptionAsync(org);
        (unpaid.Plan, unpaid.Status).ShouldBe((PlanSlug.Starter, SubscriptionStatus.PastDue));
        (await app.Host.AccountAsync(org)).Available.ShouldBe(0);
        var invoice = (await BillingScenarios.InvoicesAsync(app, (await app.Host.LoginAsync(email)).AccessToken))[0]!;
        (invoice["plan"]!.GetValue<string>(), invoice["amount"]!.GetValue<decimal>()).ShouldBe(("business", 249m));

        await BillingScenarios.MarkInvoicePaidAsync(app, invoice["id"]!.GetValue<Guid>());
        var paid = await app.Host.SubscriptionAsync(org);
        (paid.Plan, paid.Status).ShouldBe((PlanSlug.Business, SubscriptionStatus.Active));
        (await app.Host.AccountAsync(org)).Available.ShouldBe(10_000);
    }

    [Fact]
    public async Task An_upgrade_still_unpaid_when_its_period_ends_can_no_longer_be_paid()
    {
        var (org, email) = await BillingScenarios.OnStarterAsync(app);
        var before = await app.Host.SubscriptionAsync(org);
        var token = (await app.Host.LoginAsync(email)).AccessToken;
        var upgrade = (await ChangeAsync(token, "professional", 202))["invoice"]!["id"]!.GetValue<Guid>();

        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));

        var platform = await app.Host.OperatorAsync();
        var operatorToken = (await app.Host.LoginAsync(platform.User.Email)).AccessToken;
        await (await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/invoices/{upgrade}/mark-paid");
            s.As(operatorToken);
            s.StatusCodeShouldBe(409);
        })).ProblemAsync(409, "invoice_closed");
        var renewed = await app.Host.SubscriptionAsync(org);
        (renewed.Plan, renewed.PendingChange).ShouldBe((PlanSlug.Starter, null));
    }

    [Fact]
    public async Task Eight_plan_changes_at_once_have_one_winner()
    {
        var customer = await app.Host.SignUpAsync();
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan = "professional" }).ToUrl("/api/subscription");
            s.As(token);
            s.IgnoreStatusCode();
        })));

        answers.Count(a => a.Context.Response.StatusCode == 202).ShouldBe(1);
        foreach (var refused in answers.Where(a => a.Context.Response.StatusCode != 202)) await refused.ProblemAsync(409, "plan_change_pending");
        (await BillingScenarios.InvoicesAsync(app, token)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_downgrade_waits_for_the_period_end_and_can_be_taken_back()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        await app.Host.SetPlanAsync(org, PlanSlug.Professional);
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        var before = await app.Host.SubscriptionAsync(org);

        var scheduled = await ChangeAsync(token, "starter", 200);
        scheduled["status"]!.GetValue<string>().ShouldBe("scheduled");
        scheduled["plan"]!.GetValue<string>().ShouldBe("professional");
        scheduled["pendingPlan"]!.GetValue<string>().ShouldBe("starter");
        scheduled["effectiveAt"]!.GetValue<DateTimeOffset>().ShouldBe(before.CurrentPeriodEnd);
        (await app.Host.GetAsJson<JsonObject>("/api/subscription", token))["pendingPlan"]!.GetValue<string>().ShouldBe("starter");

        (await ChangeAsync(token, "professional", 200))["status"]!.GetValue<string>().ShouldBe("pending_change_canceled");
        (await app.Host.SubscriptionAsync(org)).PendingPlan.ShouldBeNull();
        await ChangeAsync(token, "free", 200); // cancel at the period's end
        var canceling = await app.Host.GetAsJson<JsonObject>("/api/subscription", token);
        canceling["cancelAtPeriodEnd"]!.GetValue<bool>().ShouldBeTrue();

        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        var after = await app.Host.SubscriptionAsync(org);
        (after.Plan, after.Status, after.CancelAtPeriodEnd).ShouldBe((PlanSlug.Free, SubscriptionStatus.Active, false));
        after.PendingPlan.ShouldBeNull();
        (await app.Host.AccountAsync(org)).Available.ShouldBe(50); // the Free plan's credits for the new period
    }

    [Fact]
    public async Task Plan_changes_that_cannot_happen_are_clear_problems()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        var member = await app.Host.AddMemberAsync(token, Role.Member);

        await (await ChangeResultAsync(token, "starter", 409)).ProblemAsync(409, "already_on_plan");
        await (await ChangeResultAsync(token, "enterprise", 422)).ProblemAsync(422, "contact_sales");
        await (await ChangeResultAsync(member.Tokens.AccessToken, "starter", 403)).ProblemAsync(403, "forbidden");
        foreach (var body in new object[] { new { plan = "gold" }, new { plan = "starter", interval = "weekly" } })
        {
            var invalid = await app.Host.Scenario(s =>
            {
                s.Post.Json(body).ToUrl("/api/subscription");
                s.As(token);
                s.StatusCodeShouldBe(400);
            });
            invalid.Context.Response.ContentType.ShouldStartWith("application/problem+json");
        }

        await ChangeAsync(token, "professional", 202);
        await (await ChangeResultAsync(token, "business", 409)).ProblemAsync(409, "plan_change_pending");
    }

    private async Task<JsonObject> ChangeAsync(string token, string plan, int status) =>
        await (await ChangeResultAsync(token, plan, status)).JsonAsync();

    private Task<IScenarioResult> ChangeResultAsync(string token, string plan, int status) =>
        app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(status);
        });
}
