using System.Text.Json.Nodes;
using BaseAgency.Features.GetCreditBalance;
using BaseAgency.Ledger;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.GetCreditBalance;

[Collection(AppCollection.Name)]
public sealed class GetCreditBalanceTests(AppFixture app)
{
    [Fact]
    public async Task A_new_organization_gets_the_free_plans_credits_until_the_period_ends()
    {
        var org = await app.Host.SignUpAsync();
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", org.Tokens.AccessToken);

        balance["available"]!.GetValue<int>().ShouldBe(50);
        balance["byBucket"]!["plan"]!.GetValue<int>().ShouldBe(50);
        balance["buckets"]![0]!["expiresAt"]!.GetValue<DateTimeOffset>().ShouldBe(balance["periodEnd"]!.GetValue<DateTimeOffset>());

        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions", org.Tokens.AccessToken);
        var line = statement["items"]!.AsArray().Single()!;
        line["type"]!.GetValue<string>().ShouldBe("subscription");
        line["amount"]!.GetValue<int>().ShouldBe(50);
        line["balanceAfter"]!.GetValue<int>().ShouldBe(50);
    }

    [Fact]
    public async Task Another_organizations_ledger_is_invisible()
    {
        var ours = await app.Host.SignUpAsync();
        var theirs = await app.Host.SignUpAsync();
        await app.Host.PurchaseAsync(theirs.Organization.Id, Guid.NewGuid(), 500);

        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", ours.Tokens.AccessToken);
        balance["available"]!.GetValue<int>().ShouldBe(50);
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions", ours.Tokens.AccessToken);
        statement["items"]!.AsArray().Count.ShouldBe(1);
    }
}

/// <summary>The balance view as a function of the account.</summary>
public sealed class CreditBalanceViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_organization_without_an_account_holds_nothing()
    {
        var balance = GetCreditBalanceHandler.BalanceOf(null);

        balance.Available.ShouldBe(0);
        balance.Balance.ShouldBe(0);
        balance.ByBucket.ShouldBe(new BucketTotals(0, 0, 0));
        balance.Buckets.ShouldBeEmpty();
        balance.PeriodEnd.ShouldBeNull();
    }

    [Fact]
    public void Buckets_are_listed_in_spending_order_with_empty_ones_left_out()
    {
        var account = CreditAccount.Create(new CreditAccountOpened(Guid.NewGuid(), Now));
        account = Apply(account, CreditRules.Purchase(account, Guid.NewGuid(), "pack", 100, Now));
        account = Apply(account, CreditRules.Grant(account, BucketKind.Plan, 50, Now.AddDays(30), "plan", "p1", Now));
        account = Apply(account, CreditRules.Grant(account, BucketKind.Bonus, 10, Now.AddDays(5), "promo", "b1", Now));
        account = Apply(account, CreditRules.Reserve(account, Guid.NewGuid(), "job-1", 15, Now, Now.AddMinutes(30)));

        var balance = GetCreditBalanceHandler.BalanceOf(account);

        balance.Buckets.Select(b => (b.Kind, b.Remaining)).ShouldBe([(CreditKind.Plan, 45), (CreditKind.Paid, 100)]);
        balance.ByBucket.ShouldBe(new BucketTotals(45, 100, 0));
        balance.Available.ShouldBe(145);
        balance.Reserved.ShouldBe(15);
        balance.Balance.ShouldBe(160);
        balance.LifetimePurchased.ShouldBe(100);
        balance.LifetimeBonus.ShouldBe(10);
    }

    private static CreditAccount Apply(CreditAccount account, Decision decision)
    {
        decision.Rejection.ShouldBeNull();
        return CreditRules.Fold(account, decision.Events);
    }
}
