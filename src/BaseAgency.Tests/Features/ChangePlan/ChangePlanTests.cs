using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ChangePlan;

/// <summary>Plan changes, on the app whose clock the tests move.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class ChangePlanTests(ClockedAppFixture app)
{
    [Fact]
    public async Task An_upgrade_halfway_through_the_period_costs_and_adds_half_the_difference_once_paid()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var before = await app.Host.SubscriptionAsync(org);
        app.Clock.SetUtcNow(before.CurrentPeriodStart + (before.CurrentPeriodEnd - before.CurrentPeriodStart) / 2);
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;

        var asked = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan = "starter" }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(202);
        });
        var answer = await asked.JsonAsync();
        answer["status"]!.GetValue<string>().ShouldBe("payment_required");
        answer["plan"]!.GetValue<string>().ShouldBe("free"); // not before it is paid
        answer["extraCredits"]!.GetValue<int>().ShouldBe(225); // (500 − 50) × ½
        var purchase = answer["purchase"]!;
        purchase["kind"]!.GetValue<string>().ShouldBe("plan_change");
        purchase["amount"]!.GetValue<decimal>().ShouldBe(24.50m); // ($49 − $0) × ½
        (await app.Host.SubscriptionAsync(org)).Plan.ShouldBe(PlanSlug.Free);

        await MarkPaidAsync(purchase["id"]!.GetValue<Guid>());

        var subscription = await app.Host.GetAsJson<JsonObject>("/api/subscription", token);
        subscription["plan"]!.GetValue<string>().ShouldBe("starter");
        subscription["currentPeriodEnd"]!.GetValue<DateTimeOffset>().ShouldBe(before.CurrentPeriodEnd); // same period
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        balance["available"]!.GetValue<int>().ShouldBe(50 + 225);
        balance["byBucket"]!["plan"]!.GetValue<int>().ShouldBe(275);
        balance["buckets"]!.AsArray().ShouldAllBe(b => b!["expiresAt"]!.GetValue<DateTimeOffset>() == before.CurrentPeriodEnd);

        // The next period is a full Starter period; this period's plan credits expire with it.
        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        (await app.Host.AccountAsync(org)).Available.ShouldBe(500);
    }

    [Fact]
    public async Task A_downgrade_waits_for_the_period_end_and_can_be_taken_back()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        await app.Host.SetPlanAsync(org, PlanSlug.Professional);
        var token = customer.Tokens.AccessToken;
        var before = await app.Host.SubscriptionAsync(org);

        var scheduled = await ChangeAsync(token, "starter", 200);
        scheduled["status"]!.GetValue<string>().ShouldBe("scheduled");
        scheduled["plan"]!.GetValue<string>().ShouldBe("professional");
        scheduled["pendingPlan"]!.GetValue<string>().ShouldBe("starter");
        scheduled["effectiveAt"]!.GetValue<DateTimeOffset>().ShouldBe(before.CurrentPeriodEnd);
        (await app.Host.GetAsJson<JsonObject>("/api/subscription", token))["pendingPlan"]!.GetValue<string>().ShouldBe("starter");

        (await ChangeAsync(token, "professional", 200))["status"]!.GetValue<string>().ShouldBe("pending_change_canceled");
        (await app.Host.SubscriptionAsync(org)).PendingPlan.ShouldBeNull();
        await ChangeAsync(token, "free", 200);

        app.Clock.SetUtcNow(before.CurrentPeriodEnd.AddMinutes(1));
        await app.Host.InvokeForAsync(org, new BaseAgency.Plans.RenewSubscriptionPeriod(org, before.CurrentPeriodEnd));
        var after = await app.Host.SubscriptionAsync(org);
        after.Plan.ShouldBe(PlanSlug.Free);
        after.PendingPlan.ShouldBeNull();
        (await app.Host.AccountAsync(org)).Available.ShouldBe(50); // the Free plan's credits for the new period
    }

    [Fact]
    public async Task Plan_changes_that_cannot_happen_are_clear_problems()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var token = customer.Tokens.AccessToken;
        var member = await app.Host.AddMemberAsync(token, Role.Member);

        await (await ChangeResultAsync(token, "starter", 409)).ProblemAsync(409, "already_on_plan");
        await (await ChangeResultAsync(token, "enterprise", 422)).ProblemAsync(422, "contact_sales");
        await (await ChangeResultAsync(member.Tokens.AccessToken, "starter", 403)).ProblemAsync(403, "forbidden");
        var invalid = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan = "gold" }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(400);
        });
        invalid.Context.Response.ContentType.ShouldStartWith("application/problem+json");

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

    private async Task MarkPaidAsync(Guid purchaseId)
    {
        var platform = await app.Host.OperatorAsync();
        var token = (await app.Host.LoginAsync(platform.User.Email)).AccessToken; // the clock has moved past the sign-up token
        await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/purchases/{purchaseId}/mark-paid");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
    }
}
