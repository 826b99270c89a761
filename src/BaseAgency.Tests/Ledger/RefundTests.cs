using System.Text.Json.Nodes;
using BaseAgency.Ledger;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Ledger;

/// <summary>Refunds and releases on a real database, as an auditor tries them: back to their buckets, and never twice.</summary>
[Collection(AppCollection.Name)]
public sealed class RefundTests(AppFixture app)
{
    [Fact]
    public async Task A_refund_of_paid_and_plan_credits_returns_each_to_its_kind_once_however_often_it_is_asked()
    {
        var customer = await app.Host.SignUpAsync(); // 50 plan credits
        var org = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;
        await app.Host.PurchaseAsync(org, Guid.NewGuid(), 100);
        await app.Host.CaptureAsync(org, (await app.Host.ReserveAsync(org, 45, "earlier work")).Reservation!.Id, 45);
        var job = (await app.Host.ReserveAsync(org, 20, "job:refunded")).Reservation!; // the 5 plan credits left, then 15 paid
        await app.Host.CaptureAsync(org, job.Id, 20);

        var refunds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.RefundAsync(org, job.Id)));
        await app.Host.RefundAsync(org, job.Id);

        refunds.ShouldAllBe(r => r == null);
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        balance["byBucket"]!.ToJsonString().ShouldBe("""{"plan":5,"paid":100,"promotional":0}""");
        balance["lifetimeUsed"]!.GetValue<int>().ShouldBe(45);
        var refundLines = (await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=refund", token))["items"]!.AsArray();
        refundLines.Count.ShouldBe(1);
        refundLines[0]!["amount"]!.GetValue<int>().ShouldBe(20);
        refundLines[0]!["reasonCode"]!.GetValue<string>().ShouldBe("internal_error");
        refundLines[0]!["reference"]!.GetValue<string>().ShouldBe("job:refunded");
        refundLines[0]!["buckets"]!.ToJsonString().ShouldBe("""[{"kind":"plan","amount":5},{"kind":"paid","amount":15}]""");
        await ShouldVerifyAsync(token, 50 + 100 - 45 - 20 + 20);
    }

    [Fact]
    public async Task What_was_not_captured_cannot_be_refunded()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var open = (await app.Host.ReserveAsync(org, 5, "job:open")).Reservation!;

        (await app.Host.RefundAsync(org, open.Id)).ShouldBeOfType<InvalidLedgerAmount>();
        (await app.Host.RefundAsync(org, Guid.NewGuid())).ShouldBeOfType<ReservationClosed>();
        (await app.Host.AccountAsync(org)).Balance.ShouldBe(50);
    }

    [Fact]
    public async Task A_release_replayed_and_raced_returns_the_credits_once()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var held = (await app.Host.ReserveAsync(org, 10, "job:released")).Reservation!;

        var releases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.ReleaseAsync(org, held.Id, CreditReason.ProviderError)));
        var replayed = await app.Host.ReleaseAsync(org, held.Id, CreditReason.InternalError);

        releases.ShouldAllBe(r => r.Rejection == null && r.Reservation!.Status == ReservationStatus.Released);
        replayed.Reservation!.ReasonCode.ShouldBe(CreditReason.ProviderError); // the first answer, not a second release
        (await app.Host.CaptureAsync(org, held.Id, 10)).Rejection.ShouldBeOfType<ReservationClosed>();
        var account = await app.Host.AccountAsync(org);
        (account.Available, account.Reserved).ShouldBe((50, 0));
        var releaseLines = (await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=release", customer.Tokens.AccessToken))["items"]!.AsArray();
        releaseLines.Select(l => (l!["held"]!.GetValue<int>(), l["reasonCode"]!.GetValue<string>())).ShouldBe([(-10, "provider_error")]);
        await ShouldVerifyAsync(customer.Tokens.AccessToken, 50);
    }

    private async Task ShouldVerifyAsync(string token, int balance)
    {
        var verify = await app.Host.GetAsJson<JsonObject>("/api/credits/ledger/verify", token);
        verify["consistent"]!.GetValue<bool>().ShouldBeTrue(verify.ToJsonString());
        verify["balance"]!.GetValue<int>().ShouldBe(balance);
    }
}
